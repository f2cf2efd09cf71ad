package io.docstream.core.index;

import io.docstream.core.embedding.Embedder;
import io.docstream.core.index.lucene.LuceneSearchIndex;
import io.docstream.core.index.qdrant.QdrantSearchIndex;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The search index the services read and write, chosen by {@code docstream.index.type}: the on-disk
 * Lucene index (default) or Qdrant, which stores the embedder's model and dimensions. Steps aside when the
 * context already holds an index (the embedded runtime shares a single index across all services).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SearchIndexProperties.class)
public class SearchIndexConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    SearchIndex searchIndex(SearchIndexProperties properties, ObjectProvider<Embedder> embedder) {
        return switch (properties.type()) {
            case LUCENE -> new LuceneSearchIndex(properties.lucene().path());
            case QDRANT -> {
                Embedder model = embedder.getObject();
                yield new QdrantSearchIndex(properties.qdrant().settings(), model.modelId(), model.dimensions());
            }
        };
    }
}
