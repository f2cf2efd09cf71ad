package io.docstream.invalidator;

import io.docstream.core.cache.Redis;
import io.docstream.core.health.DependencyHealthConfiguration;
import io.docstream.core.health.HealthProperties;
import io.docstream.core.health.RedisHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Health of what the invalidator depends on: Kafka, PostgreSQL and Redis, all three required for readiness (see
 * {@code invalidator.yml}): without Redis it cannot evict, so it marks nothing searchable.
 */
@Configuration(proxyBeanMethods = false)
@Import(DependencyHealthConfiguration.class)
class ObservabilityConfiguration {

    @Bean
    RedisHealthIndicator redisHealthIndicator(Redis redis, HealthProperties properties) {
        return new RedisHealthIndicator(redis, properties.timeout());
    }
}
