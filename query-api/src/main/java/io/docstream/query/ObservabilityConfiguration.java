package io.docstream.query;

import io.docstream.core.cache.Redis;
import io.docstream.core.embedding.Embedder;
import io.docstream.core.health.DependencyHealthConfiguration;
import io.docstream.core.health.EmbeddingModelHealthIndicator;
import io.docstream.core.health.HealthProperties;
import io.docstream.core.health.RedisHealthIndicator;
import io.docstream.core.health.SearchIndexHealthIndicator;
import io.docstream.core.index.SearchIndex;
import io.docstream.core.logging.LoggingContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Health of everything the query API uses: Kafka, PostgreSQL, Redis, the search index and the embedding model.
 * Readiness requires PostgreSQL, the index and the model only (see {@code query-api.yml}): without Redis
 * searches degrade to L1 and the origin instead of failing. Also the tenant and document id in the logging
 * context of every API request.
 */
@Configuration(proxyBeanMethods = false)
@Import({ DependencyHealthConfiguration.class, LoggingContextConfiguration.class })
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
