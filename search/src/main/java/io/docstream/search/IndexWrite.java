package io.docstream.search;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One document-level change to a {@link SearchIndex}. */
public sealed interface IndexWrite {

    String tenant();

    String documentId();

    long version();

    default String documentKey() {
        return tenant() + "/" + documentId();
    }

    /**
     * A document at {@code version}, replacing whatever the index held before: its whole text (title and body)
     * for document-level keyword retrieval, and its chunks for dense retrieval and snippets.
     */
    record Replace(String tenant, String documentId, long version, String title, String body,
            Map<String, String> metadata, String modelId, List<IndexedChunk> chunks) implements IndexWrite {

        public Replace {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(documentId, "documentId");
            Objects.requireNonNull(modelId, "modelId");
            title = title == null ? "" : title;
            body = body == null ? "" : body;
            metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
            chunks = List.copyOf(chunks);
        }
    }

    /** The document is deleted at {@code version}; older writes that arrive later stay out. */
    record Remove(String tenant, String documentId, long version) implements IndexWrite {

        public Remove {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(documentId, "documentId");
        }
    }
}
