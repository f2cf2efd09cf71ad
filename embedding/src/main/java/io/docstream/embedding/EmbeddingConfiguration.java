package io.docstream.embedding;

import io.docstream.embedding.http.HttpEmbedder;
import io.docstream.embedding.http.HttpEmbeddingProperties;
import io.docstream.embedding.onnx.OnnxEmbedder;
import io.docstream.platform.resilience.RemoteCalls;
import java.net.http.HttpClient;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedding model. The embedder follows the model of the index target the services serve from (see
 * {@code SearchIndexConfiguration}). The beans step aside when the context already holds one (the embedded
 * runtime shares a single model across all services).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ EmbeddingProperties.class, HttpEmbeddingProperties.class })
public class EmbeddingConfiguration {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

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
}
