package io.docstream.search.chunking;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code docstream.chunking.*}: chunk size and overlap in model tokens; the model's window caps the chunk size.
 */
@ConfigurationProperties("docstream.chunking")
record ChunkingProperties(@DefaultValue("200") int maxTokens, @DefaultValue("32") int overlapTokens) {
}
