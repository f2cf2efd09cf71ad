package io.docstream.core.embedding;

import io.docstream.core.chunking.Chunker;
import io.docstream.core.embedding.http.HttpEmbedder;
import io.docstream.core.embedding.http.HttpEmbeddingProperties;
import io.docstream.core.embedding.onnx.OnnxEmbedder;
import io.docstream.core.resilience.RemoteCalls;
import java.net.http.HttpClient;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedding model and the chunker sized for it. The embedder follows the model of the index target the
 * services serve from (see {@code SearchIndexConfiguration}). The beans step aside when the context already
 * holds one (the embedded runtime shares a single model across all services).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ EmbeddingProperties.class, ChunkingProperties.class, HttpEmbeddingProperties.class })
public class EmbeddingConfiguration {

    /** Room for the [CLS] and [SEP] tokens the model adds to every input. */
    static final int SPECIAL_TOKENS = 2;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(EmbeddingConfiguration.class);

    /**
     * Models named {@code http:<model>} are served by the remote embedding service of
     * {@code docstream.embedding.http.*}; every other id names an in-process ONNX model.
     */
    @Bean
    @ConditionalOnMissingBean
    EmbedderRegistry embedderRegistry(HttpEmbeddingProperties http, ObjectProvider<RemoteCalls> remoteCalls) {
        return new EmbedderRegistry(modelId -> modelId.startsWith(HttpEmbedder.PREFIX)
                ? new HttpEmbedder(modelId, http, remoteCalls.getIfAvailable(RemoteCalls::withDefaults)
                        .call(RemoteCalls.EMBEDDER, HttpEmbedder::transientFailure),
                        HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build())
                : OnnxEmbedder.forModel(modelId));
    }

    /** Starts with the configured model; the search index configuration moves it to the alias target's model. */
    @Bean
    @ConditionalOnMissingBean
    Embedder embedder(EmbeddingProperties properties, EmbedderRegistry registry) {
        return new SwitchableEmbedder(registry, properties.model());
    }

    @Bean
    @ConditionalOnMissingBean
    Chunker chunker(Embedder embedder, ChunkingProperties properties) {
        int window = embedder.maxTokens() - SPECIAL_TOKENS;
        int maxTokens = Math.min(properties.maxTokens(), window);
        if (maxTokens < properties.maxTokens()) {
            // Expected with the default model (a 128-token window): the setting is an upper bound, not a request.
            log.info("docstream.chunking.max-tokens={} exceeds the window of {}; chunks are capped at {} tokens",
                    properties.maxTokens(), embedder.modelId(), maxTokens);
        }
        return new Chunker(maxTokens, properties.overlapTokens(), embedder.tokenCounter());
    }
}
