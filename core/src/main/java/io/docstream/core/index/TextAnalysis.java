package io.docstream.core.index;

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
 * words and Porter stemming (Lucene's {@link EnglishAnalyzer}).
 */
public final class TextAnalysis {

    /** A title match is worth this many times the same match in the body, in every adapter. */
    public static final float TITLE_BOOST = 2.0f;

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
