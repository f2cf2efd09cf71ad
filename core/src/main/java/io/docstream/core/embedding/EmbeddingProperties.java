package io.docstream.core.embedding;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code docstream.embedding.model}: which in-process model embeds chunks and queries. */
@ConfigurationProperties("docstream.embedding")
record EmbeddingProperties(@DefaultValue("all-minilm-l6-v2-q") String model) {
}
