package io.docstream.ingest;

import io.docstream.platform.redis.RedisConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Ingest's rate limits shared by all its instances through Redis, when one is configured
 * ({@code docstream.redis.uri}): each key's budget is then spent in Redis, as the query API's are, instead of per
 * instance. Ingest needs Redis for nothing else, so without it (or while it is down) each instance limits on its
 * own and writes are accepted as before.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${docstream.redis.uri:}' != ''")
@Import(RedisConfiguration.class)
class SharedRateLimitsConfiguration {
}
