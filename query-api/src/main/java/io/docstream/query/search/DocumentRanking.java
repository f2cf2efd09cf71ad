package io.docstream.query.search;

import io.docstream.search.DocumentHit;
import io.docstream.search.IndexHit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns retrieval hits into document rankings: keyword retrieval already ranks documents; dense retrieval
 * ranks chunks, and a document scores its best chunk's cosine less a length prior,
 * {@code lengthPenalty * spread * ln(chunks of the document)}, so that a long document's many chunks (many tries
 * at a close match) do not outrank a short document that is about the query. The spread is the standard
 * deviation of the retrieved chunks' cosines, which puts the prior on each model's own scale (one model's
 * cosines spread twice as wide as another's). Equal scores, which identical documents get, rank the document
 * written first (the lower version) first, then by id: an order that survives replays and reindexing, unlike the
 * order in which an index happened to receive them.
 */
final class DocumentRanking {

    private DocumentRanking() {
    }

    /** Best first: higher score, then the document written first, then the lower id. */
    static final Comparator<RankedDocument> BEST_FIRST = Comparator.comparingDouble(RankedDocument::score).reversed()
            .thenComparingLong(RankedDocument::version)
            .thenComparing(RankedDocument::documentId);

    /** Documents of keyword retrieval, best first, without a chunk yet (snippets pick one later). */
    static List<RankedDocument> keyword(List<DocumentHit> hits) {
        Objects.requireNonNull(hits, "hits");
        return hits.stream()
                .map(hit -> new RankedDocument(hit.documentId(), hit.title(), hit.version(), hit.score(), null))
                .sorted(BEST_FIRST)
                .toList();
    }

    /** Per document its best-scoring chunk, scored as above, best document first. */
    static List<RankedDocument> dense(List<IndexHit> hits, double lengthPenalty) {
        Objects.requireNonNull(hits, "hits");
        if (!(lengthPenalty >= 0) || Double.isInfinite(lengthPenalty)) {
            throw new IllegalArgumentException("lengthPenalty must be finite and not negative, was " + lengthPenalty);
        }
        Map<String, IndexHit> best = new LinkedHashMap<>();
        for (IndexHit hit : hits) {
            best.merge(hit.documentId(), hit, (kept, candidate) -> candidate.score() > kept.score() ? candidate : kept);
        }
        double spread = spread(hits);
        List<RankedDocument> documents = new ArrayList<>(best.size());
        for (IndexHit hit : best.values()) {
            double prior = lengthPenalty * spread * Math.log(Math.max(1, hit.documentChunks()));
            documents.add(new RankedDocument(hit.documentId(), hit.title(), hit.version(), hit.score() - prior, hit));
        }
        documents.sort(BEST_FIRST);
        return List.copyOf(documents);
    }

    /** The standard deviation of the hits' scores. */
    static double spread(List<IndexHit> hits) {
        double mean = hits.stream().mapToDouble(IndexHit::score).average().orElse(0);
        return Math.sqrt(hits.stream().mapToDouble(hit -> (hit.score() - mean) * (hit.score() - mean)).average()
                .orElse(0));
    }

    /** The document ids of a ranking with their scores, ready for {@link Fusion#weighted}. */
    static List<ScoredId> scored(List<RankedDocument> documents) {
        return documents.stream().map(document -> new ScoredId(document.documentId(), document.score())).toList();
    }

    /** The document ids of a ranking, ready for {@link Fusion#rrf}. */
    static List<String> ids(List<RankedDocument> documents) {
        return documents.stream().map(RankedDocument::documentId).toList();
    }
}
