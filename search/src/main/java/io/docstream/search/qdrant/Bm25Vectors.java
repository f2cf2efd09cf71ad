package io.docstream.search.qdrant;

import io.docstream.search.TextAnalysis;
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
 * BM25 as sparse vectors, with terms from {@link TextAnalysis}. A value for a term is the BM25
 * term-frequency part as Lucene computes it, {@code tf / (tf + k1 * (1 - b + b * length / averageLength))}:
 * for a whole document over its title and body as one field (with {@link TextAnalysis#DOCUMENT_BM25_B}), for a
 * chunk over its text plus {@link #CHUNK_TITLE_BOOST} times the same for the title; Qdrant's IDF modifier
 * multiplies in the inverse document frequency at query time. Document lengths are measured in analysed
 * terms against fixed average lengths, because a streaming index has no stable corpus average. A term's
 * index is the unsigned murmur3 (x86, 32 bit, seed 0) hash of its UTF-8 bytes; terms that collide add up.
 * A query is its distinct analysed terms with weight 1 each, never parsed as query syntax.
 */
final class Bm25Vectors {

    static final double K1 = TextAnalysis.BM25_K1;
    static final double CHUNK_B = TextAnalysis.CHUNK_BM25_B;
    static final double DOCUMENT_B = TextAnalysis.DOCUMENT_BM25_B;

    /**
     * Chunk vectors only pick a document's snippet; within one document every chunk has the same title, so
     * the title's share does not change which chunk wins. Kept as chunk points were first written.
     */
    static final double CHUNK_TITLE_BOOST = 2.0;

    /**
     * Analysed terms of an average whole document: Lucene measures the corpus, Qdrant takes what it is given.
     * A man page holds about 400, a class comment about 100; 256 is also fastembed's BM25 default.
     */
    static final double AVERAGE_DOCUMENT_TERMS = 256;

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

    /** The terms of a chunk's text, and of its document's title. */
    static SparseVector chunk(String title, String text) {
        Map<Integer, Double> weights = new TreeMap<>(Integer::compareUnsigned);
        addField(weights, TextAnalysis.terms(text), AVERAGE_TEXT_TERMS, CHUNK_B, 1.0);
        addField(weights, TextAnalysis.terms(title), AVERAGE_TITLE_TERMS, CHUNK_B, CHUNK_TITLE_BOOST);
        return sparse(weights);
    }

    /** The terms of a whole document, title and body as one field (the title opens it, as in every adapter). */
    static SparseVector wholeDocument(String title, String body) {
        Map<Integer, Double> weights = new TreeMap<>(Integer::compareUnsigned);
        List<String> terms = TextAnalysis.terms(title);
        terms.addAll(TextAnalysis.terms(body));
        addField(weights, terms, AVERAGE_DOCUMENT_TERMS, DOCUMENT_B, 1.0);
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

    private static void addField(Map<Integer, Double> weights, List<String> terms, double averageLength, double b,
            double boost) {
        if (terms.isEmpty()) {
            return;
        }
        Map<String, Integer> frequencies = new TreeMap<>();
        terms.forEach(term -> frequencies.merge(term, 1, Integer::sum));
        double lengthNorm = K1 * (1 - b + b * terms.size() / averageLength);
        frequencies.forEach((term, tf) -> weights.merge(termId(term), boost * tf / (tf + lengthNorm), Double::sum));
    }

    private static SparseVector sparse(Map<Integer, Double> weights) {
        SparseVector.Builder vector = SparseVector.newBuilder();
        weights.forEach((index, weight) -> vector.addIndices(index).addValues(weight.floatValue()));
        return vector.build();
    }
}
