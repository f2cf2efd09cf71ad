package io.docstream.query.cache;

import io.docstream.platform.kafka.KafkaClients;
import io.docstream.platform.redis.Redis;
import io.docstream.platform.redis.RedisConfiguration;
import io.docstream.search.IndexTargets;
import io.docstream.search.SearchIndex;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The query API's two-level caches over Redis, kept current by the invalidation stream. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CacheProperties.class)
@Import(RedisConfiguration.class)
class CacheConfiguration {

    /** Search answers are keyed by the index target served from; without targets, by the index's name. */
    @Bean
    QueryCaches queryCaches(Redis redis, CacheProperties properties, MeterRegistry meters,
            ObjectProvider<IndexTargets> targets, ObjectProvider<SearchIndex> index) {
        IndexTargets indexTargets = targets.getIfAvailable();
        Supplier<String> target;
        if (indexTargets != null) {
            target = () -> indexTargets.current().name();
        }
        else {
            SearchIndex searchIndex = index.getIfAvailable();
            String name = searchIndex == null ? "index" : searchIndex.name();
            target = () -> name;
        }
        return new QueryCaches(redis, properties, meters, target);
    }

    @Bean
    ReadConsistency readConsistency(QueryCaches queryCaches, DSLContext dsl, CacheProperties properties) {
        return new ReadConsistency(queryCaches, dsl, properties.consistencyWait());
    }

    @Bean
    InvalidationListener invalidationListener(QueryCaches queryCaches, CacheProperties properties,
            MeterRegistry meters, KafkaClients kafka, Redis redis) {
        return new InvalidationListener(queryCaches, kafka, redis, properties.invalidationGap(), meters);
    }
}
