package io.docstream.search.chunking;

import io.docstream.embedding.Embedder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The chunker, sized for the embedding model; it steps aside when the context already holds one. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ChunkingProperties.class)
public class ChunkingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ChunkingConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    Chunker chunker(Embedder embedder, ChunkingProperties properties) {
        Chunker chunker = Chunker.sizedFor(embedder, properties.maxTokens(), properties.overlapTokens());
        if (chunker.maxTokens() < properties.maxTokens()) {
            // Expected with the default model (a 128-token window): the setting is an upper bound, not a request.
            log.info("docstream.chunking.max-tokens={} exceeds the window of {}; chunks are capped at {} tokens",
                    properties.maxTokens(), embedder.modelId(), chunker.maxTokens());
        }
        return chunker;
    }
}
