package io.docstream.core.index.qdrant;

import io.docstream.core.index.TextAnalysis;
import io.qdrant.client.grpc.Points.SparseVector;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.StringHelper;

/**
 * BM25 as sparse vectors, with terms from {@link TextAnalysis}. A chunk's value for a term is the BM25
 * term-frequency part as Lucene computes it, {@code tf / (tf + k1 * (1 - b + b * length / averageLength))},
 * for the body plus {@link TextAnalysis#TITLE_BOOST} times the same for the title; Qdrant's IDF modifier
 * multiplies in the inverse document frequency at query time. Document lengths are measured in analysed
 * terms against fixed average lengths, because a streaming index has no stable corpus average. A term's
 * index is the unsigned murmur3 (x86, 32 bit, seed 0) hash of its UTF-8 bytes; terms that collide add up.
 * A query is its distinct analysed terms with weight 1 each, never parsed as query syntax.
 */
final class Bm25Vectors {

    static final double K1 = 1.2;
    static final double B = 0.75;

    /**
     * Chunks hold at most {@code docstream.chunking.max-tokens} (200) model tokens, which is about 80
     * analysed terms once stop words are gone.
     */
    static final double AVERAGE_TEXT_TERMS = 80;

    static final double AVERAGE_TITLE_TERMS = 4;

    /** The same cap on query terms as the Lucene adapter. */
    static final int MAX_QUERY_TERMS = 256;

    private Bm25Vectors() {
    }

    static SparseVector document(String title, String text) {
        Map<Integer, Double> weights = new TreeMap<>(Integer::compareUnsigned);
        addField(weights, TextAnalysis.terms(text), AVERAGE_TEXT_TERMS, 1.0);
        addField(weights, TextAnalysis.terms(title), AVERAGE_TITLE_TERMS, TextAnalysis.TITLE_BOOST);
        return sparse(weights);
    }

    /** The query's terms with weight 1 each, or empty when the text has no searchable term. */
    static Optional<SparseVector> query(String text) {
        Set<String> terms = new LinkedHashSet<>(TextAnalysis.terms(text == null ? "" : text));
        if (terms.isEmpty()) {
            return Optional.empty();
        }
        Map<Integer, Double> weights = new TreeMap<>(Integer::compareUnsigned);
        terms.stream().limit(MAX_QUERY_TERMS).forEach(term -> weights.merge(termId(term), 1.0, Double::sum));
        return Optional.of(sparse(weights));
    }

    /** The sparse index of a term; read it with {@link Integer#toUnsignedLong}. */
    static int termId(String term) {
        return StringHelper.murmurhash3_x86_32(new BytesRef(term.getBytes(StandardCharsets.UTF_8)), 0);
    }

    private static void addField(Map<Integer, Double> weights, List<String> terms, double averageLength,
            double boost) {
        if (terms.isEmpty()) {
            return;
        }
        Map<String, Integer> frequencies = new TreeMap<>();
        terms.forEach(term -> frequencies.merge(term, 1, Integer::sum));
        double lengthNorm = K1 * (1 - B + B * terms.size() / averageLength);
        frequencies.forEach((term, tf) -> weights.merge(termId(term), boost * tf / (tf + lengthNorm), Double::sum));
    }

    private static SparseVector sparse(Map<Integer, Double> weights) {
        SparseVector.Builder vector = SparseVector.newBuilder();
        weights.forEach((index, weight) -> vector.addIndices(index).addValues(weight.floatValue()));
        return vector.build();
    }
}
