package io.docstream.invalidator;

import io.docstream.platform.health.HealthProperties;
import io.docstream.platform.health.RedisHealthIndicator;
import io.docstream.platform.redis.Redis;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health of what the invalidator depends on: Kafka, PostgreSQL and Redis, all three required for readiness (see
 * {@code invalidator.yml}): without Redis it cannot evict, so it marks nothing searchable.
 */
@Configuration(proxyBeanMethods = false)
class ObservabilityConfiguration {

    @Bean
    RedisHealthIndicator redisHealthIndicator(Redis redis, HealthProperties properties) {
        return new RedisHealthIndicator(redis, properties.timeout());
    }
}
