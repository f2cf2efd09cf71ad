package io.docstream.query.search;

import io.docstream.core.embedding.Embedder;
import io.docstream.core.index.SearchIndex;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The search engine; it owns the bounded pool its dense retrievals run on. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SearchProperties.class)
class SearchConfiguration {

    @Bean(destroyMethod = "close")
    HybridSearch hybridSearch(Embedder embedder, SearchIndex searchIndex, SearchProperties properties) {
        return new HybridSearch(embedder, searchIndex, properties);
    }
}
