package io.docstream.query.search;

import java.util.Objects;

/** A document id with a score, higher is better. */
record ScoredId(String id, double score) {

    ScoredId {
        Objects.requireNonNull(id, "id");
    }
}
