package io.docstream.embedding;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code docstream.embedding.*}.
 *
 * @param model the model that embeds chunks and queries: an in-process ONNX model, or {@code http:<model>} for the
 *     remote service of {@code docstream.embedding.http.*}
 */
@ConfigurationProperties("docstream.embedding")
public record EmbeddingProperties(@DefaultValue(EmbeddingProperties.DEFAULT_MODEL) String model) {

    public static final String DEFAULT_MODEL = "all-minilm-l6-v2-q";
}
