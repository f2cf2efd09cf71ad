package io.docstream.core.search;

import io.docstream.core.index.IndexHit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Turns chunk hits into a document ranking: the index ranks chunks, users want documents. */
public final class DocumentRanking {

    private DocumentRanking() {
    }

    /**
     * Per document its best-scoring chunk hit, best document first; equal scores keep the order in
     * which the documents first appear in {@code hits}.
     */
    public static List<IndexHit> collapse(List<IndexHit> hits) {
        Objects.requireNonNull(hits, "hits");
        Map<String, IndexHit> best = new LinkedHashMap<>();
        for (IndexHit hit : hits) {
            best.merge(hit.documentId(), hit, (kept, candidate) -> candidate.score() > kept.score() ? candidate : kept);
        }
        List<IndexHit> documents = new ArrayList<>(best.values());
        documents.sort(Comparator.comparingDouble(IndexHit::score).reversed());
        return List.copyOf(documents);
    }

    /** The document ids of collapsed hits with their scores, ready for {@link Fusion#weighted}. */
    public static List<ScoredId> scoredDocuments(List<IndexHit> hits) {
        return collapse(hits).stream().map(hit -> new ScoredId(hit.documentId(), hit.score())).toList();
    }
}
