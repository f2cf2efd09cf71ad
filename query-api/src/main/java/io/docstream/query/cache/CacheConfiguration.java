package io.docstream.query.cache;

import io.docstream.core.cache.Redis;
import io.docstream.core.cache.RedisConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The query API's two-level caches over Redis, kept current by the invalidation stream. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CacheProperties.class)
@Import(RedisConfiguration.class)
class CacheConfiguration {

    @Bean
    QueryCaches queryCaches(Redis redis, CacheProperties properties, MeterRegistry meters) {
        return new QueryCaches(redis, properties, meters);
    }

    @Bean
    InvalidationListener invalidationListener(QueryCaches queryCaches, CacheProperties properties,
            MeterRegistry meters, @Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers) {
        return new InvalidationListener(queryCaches, bootstrapServers, properties.invalidationGap(), meters);
    }
}
