package io.docstream.query.search;

import java.util.List;
import java.util.Objects;

/** A document id with a score, higher is better. */
record ScoredId(String id, double score) {

    ScoredId {
        Objects.requireNonNull(id, "id");
    }

    /** The ids of a ranking, in order. */
    static List<String> ids(List<ScoredId> ranking) {
        return ranking.stream().map(ScoredId::id).toList();
    }
}
