package io.docstream.core.search;

import java.util.Objects;

/** An id (usually a document id) with a score, higher is better. */
public record ScoredId(String id, double score) {

    public ScoredId {
        Objects.requireNonNull(id, "id");
    }
}
