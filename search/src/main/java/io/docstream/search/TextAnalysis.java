package io.docstream.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * The one text analysis every {@link SearchIndex} adapter uses for BM25, so keyword results do not
 * depend on the engine: standard tokenizer, English possessive removal, lower-casing, English stop
 * words and Porter stemming (Lucene's {@link EnglishAnalyzer}), with the same BM25 parameters.
 */
public final class TextAnalysis {

    /** BM25's term-frequency saturation, Lucene's and Robertson's default, in every adapter. */
    public static final float BM25_K1 = 1.2f;

    /**
     * BM25's length normalisation for whole documents. Stronger than the usual 0.75: a long page matches a
     * short query's words by chance more often, and eval on a long-page and a short-page collection both
     * ranked better with 0.85 to 1.0 than with 0.75 (docs/search-quality.md).
     */
    public static final float DOCUMENT_BM25_B = 0.9f;

    /** BM25's length normalisation for chunks, which are all about the same size. */
    public static final float CHUNK_BM25_B = 0.75f;

    private static final Analyzer ANALYZER = new EnglishAnalyzer();

    private TextAnalysis() {
    }

    /** The shared analyzer; thread-safe, never close it. */
    public static Analyzer analyzer() {
        return ANALYZER;
    }

    /** The analysed terms of {@code text} in order, repeated as often as they occur (term frequencies). */
    public static List<String> terms(String text) {
        List<String> terms = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return terms;
        }
        try (TokenStream stream = ANALYZER.tokenStream("text", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Reading from a string cannot fail", e);
        }
        return terms;
    }
}
