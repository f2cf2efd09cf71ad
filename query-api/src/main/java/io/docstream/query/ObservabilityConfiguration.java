package io.docstream.query;

import io.docstream.embedding.Embedder;
import io.docstream.embedding.EmbeddingModelHealthIndicator;
import io.docstream.platform.health.HealthProperties;
import io.docstream.platform.health.RedisHealthIndicator;
import io.docstream.platform.redis.Redis;
import io.docstream.search.SearchIndex;
import io.docstream.search.SearchIndexHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health of everything the query API uses: Kafka, PostgreSQL, Redis, the search index and the embedding model.
 * Readiness requires PostgreSQL, the index and the model only (see {@code query-api.yml}): without Redis
 * searches degrade to L1 and the origin instead of failing. Kafka and PostgreSQL come with the platform.
 */
@Configuration(proxyBeanMethods = false)
class ObservabilityConfiguration {

    @Bean
    RedisHealthIndicator redisHealthIndicator(Redis redis, HealthProperties properties) {
        return new RedisHealthIndicator(redis, properties.timeout());
    }

    @Bean
    SearchIndexHealthIndicator indexHealthIndicator(SearchIndex searchIndex, HealthProperties properties) {
        return new SearchIndexHealthIndicator(searchIndex, properties.timeout());
    }

    @Bean
    EmbeddingModelHealthIndicator modelHealthIndicator(Embedder embedder, HealthProperties properties) {
        return new EmbeddingModelHealthIndicator(embedder, properties.timeout(), properties.modelCheckInterval());
    }
}
