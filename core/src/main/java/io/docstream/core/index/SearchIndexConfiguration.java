package io.docstream.core.index;

import io.docstream.core.index.lucene.LuceneSearchIndex;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The search index the services read and write: the on-disk Lucene index unless the context already
 * holds one (the embedded runtime shares a single index across all services).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SearchIndexProperties.class)
public class SearchIndexConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    SearchIndex searchIndex(SearchIndexProperties properties) {
        return new LuceneSearchIndex(properties.lucene().path());
    }
}
