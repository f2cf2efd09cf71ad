package io.docstream.core.index;

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

    /** All chunks of a document at {@code version}, replacing whatever the index held before. */
    record Replace(String tenant, String documentId, long version, String title, Map<String, String> metadata,
            String modelId, List<IndexedChunk> chunks) implements IndexWrite {

        public Replace {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(documentId, "documentId");
            Objects.requireNonNull(modelId, "modelId");
            title = title == null ? "" : title;
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
