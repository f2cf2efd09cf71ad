package io.docstream.search.chunking;

import io.docstream.embedding.Embedder;
import io.docstream.embedding.TokenCounter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.BreakIterator;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a text into token-bounded chunks for an embedding model. Paragraphs (blank-line separated)
 * are the units of change: consecutive paragraphs that fit in {@code maxTokens} together share one
 * chunk (so a page of short paragraphs does not become many tiny chunks), and a section closes early
 * after an anchor paragraph, one whose normalised-text hash starts with a multiple of eight, so an edit
 * that moves a section boundary disturbs at most the sections up to the next anchor; every other chunk
 * keeps its text and hash and the embedding cache keeps its vector. A paragraph longer than
 * {@code maxTokens} is a section of its own: whole sentences are packed up to {@code maxTokens} and the
 * next chunk starts with the trailing sentences of the previous one that fit in {@code overlapTokens}.
 * A sentence longer than {@code maxTokens} is cut on word boundaries (and a single word longer than that
 * on character boundaries). Token counts are measured on the candidate text itself, so every chunk
 * respects the bound whatever the counter. Instances are immutable and thread-safe; the output depends
 * only on the input text.
 */
public final class Chunker {

    private static final Pattern PARAGRAPH_BREAK = Pattern.compile("(?:\\R\\h*){2,}|\\u2029");
    private static final Pattern WHITESPACE = Pattern.compile("[\\s\\p{Z}]+", Pattern.UNICODE_CHARACTER_CLASS);

    private final int maxTokens;
    private final int overlapTokens;
    private final TokenCounter counter;

    public Chunker(int maxTokens, int overlapTokens, TokenCounter counter) {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
        }
        if (overlapTokens < 0 || overlapTokens >= maxTokens) {
            throw new IllegalArgumentException(
                    "overlapTokens must be at least 0 and less than maxTokens (" + maxTokens + "), was " + overlapTokens);
        }
        this.maxTokens = maxTokens;
        this.overlapTokens = overlapTokens;
        this.counter = Objects.requireNonNull(counter, "counter");
    }

    /** Room for the [CLS] and [SEP] tokens a model adds to every input. */
    static final int SPECIAL_TOKENS = 2;

    /**
     * A chunker for {@code embedder}: chunks of at most {@code maxTokens}, capped at what the model's window holds
     * besides its special tokens, counted with the model's own tokenizer.
     */
    public static Chunker sizedFor(Embedder embedder, int maxTokens, int overlapTokens) {
        return new Chunker(Math.min(maxTokens, embedder.maxTokens() - SPECIAL_TOKENS), overlapTokens,
                embedder.tokenCounter());
    }

    public int maxTokens() {
        return maxTokens;
    }

    public int overlapTokens() {
        return overlapTokens;
    }

    /** Chunks of {@code text} in source order; none for blank text. */
    public List<Chunk> chunk(String text) {
        Objects.requireNonNull(text, "text");
        List<Chunk> chunks = new ArrayList<>();
        for (List<Span> section : sections(text, paragraphs(text))) {
            List<Span> units = new ArrayList<>();
            section.forEach(paragraph -> units.addAll(units(text, paragraph)));
            pack(text, units, chunks);
        }
        return List.copyOf(chunks);
    }

    /** SHA-256 (lower-case hex) of the text after NFKC normalisation and whitespace collapsing. */
    public static String hash(String text) {
        String normalised = WHITESPACE.matcher(Normalizer.normalize(text, Normalizer.Form.NFKC)).replaceAll(" ").strip();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(normalised.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    private static List<Span> paragraphs(String text) {
        List<Span> paragraphs = new ArrayList<>();
        Matcher breaks = PARAGRAPH_BREAK.matcher(text);
        int start = 0;
        while (breaks.find()) {
            addTrimmed(text, start, breaks.start(), paragraphs);
            start = breaks.end();
        }
        addTrimmed(text, start, text.length(), paragraphs);
        return paragraphs;
    }

    /**
     * Consecutive paragraphs grouped while together they fit in {@code maxTokens}; a group also closes
     * after an {@linkplain #isAnchor anchor} paragraph, which bounds how far a changed boundary can travel.
     */
    private List<List<Span>> sections(String text, List<Span> paragraphs) {
        List<List<Span>> sections = new ArrayList<>();
        List<Span> open = new ArrayList<>();
        for (Span paragraph : paragraphs) {
            if (!open.isEmpty() && count(text, new Span(open.getFirst().start(), paragraph.end())) > maxTokens) {
                sections.add(open);
                open = new ArrayList<>();
            }
            open.add(paragraph);
            if (isAnchor(text, paragraph)) {
                sections.add(open);
                open = new ArrayList<>();
            }
        }
        if (!open.isEmpty()) {
            sections.add(open);
        }
        return sections;
    }

    /** One paragraph in eight on average, decided by its content alone (the first hex digit of its hash). */
    private static boolean isAnchor(String text, Span paragraph) {
        return Character.digit(hash(text.substring(paragraph.start(), paragraph.end())).charAt(0), 16) % 8 == 0;
    }

    /** Sentences of a paragraph, each cut further when it alone exceeds {@code maxTokens}. */
    private List<Span> units(String text, Span paragraph) {
        List<Span> sentences = new ArrayList<>();
        BreakIterator iterator = BreakIterator.getSentenceInstance(Locale.ROOT);
        iterator.setText(text.substring(paragraph.start(), paragraph.end()));
        int start = iterator.first();
        for (int end = iterator.next(); end != BreakIterator.DONE; start = end, end = iterator.next()) {
            addTrimmed(text, paragraph.start() + start, paragraph.start() + end, sentences);
        }
        List<Span> units = new ArrayList<>();
        for (Span sentence : sentences) {
            if (count(text, sentence) <= maxTokens) {
                units.add(sentence);
            }
            else {
                splitLongSentence(text, sentence, units);
            }
        }
        return units;
    }

    private void splitLongSentence(String text, Span sentence, List<Span> units) {
        List<Integer> wordCuts = boundaries(BreakIterator.getWordInstance(Locale.ROOT), text, sentence);
        int start = sentence.start();
        while (start < sentence.end()) {
            int end = longestFittingCut(text, start, wordCuts);
            if (end <= start) {
                end = longestFittingCut(text, start,
                        boundaries(BreakIterator.getCharacterInstance(Locale.ROOT), text, sentence));
            }
            if (end <= start) {
                end = text.offsetByCodePoints(start, 1);
            }
            addTrimmed(text, start, end, units);
            start = end;
            while (start < sentence.end() && isSpace(text.codePointAt(start))) {
                start = text.offsetByCodePoints(start, 1);
            }
        }
    }

    /** The furthest cut after {@code start} whose text still fits; {@code start} when none does. */
    private int longestFittingCut(String text, int start, List<Integer> cuts) {
        int low = 0;
        int high = cuts.size() - 1;
        int best = start;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int cut = cuts.get(middle);
            if (cut <= start) {
                low = middle + 1;
                continue;
            }
            Span candidate = trimmed(text, start, cut);
            if (candidate == null || count(text, candidate) <= maxTokens) {
                best = cut;
                low = middle + 1;
            }
            else {
                high = middle - 1;
            }
        }
        return best;
    }

    private static List<Integer> boundaries(BreakIterator iterator, String text, Span span) {
        iterator.setText(text.substring(span.start(), span.end()));
        List<Integer> cuts = new ArrayList<>();
        for (int boundary = iterator.next(); boundary != BreakIterator.DONE; boundary = iterator.next()) {
            cuts.add(span.start() + boundary);
        }
        return cuts;
    }

    /** Greedily packs the units of one section into chunks, carrying the overlap forward. */
    private void pack(String text, List<Span> units, List<Chunk> chunks) {
        int first = 0;
        int next = 0;
        while (next < units.size()) {
            int last = next;
            while (last + 1 < units.size() && fits(text, units.get(first), units.get(last + 1))) {
                last++;
            }
            Span span = new Span(units.get(first).start(), units.get(last).end());
            String chunkText = text.substring(span.start(), span.end());
            chunks.add(new Chunk(chunks.size(), chunkText, hash(chunkText), count(text, span), span.start(), span.end()));
            next = last + 1;
            if (next < units.size()) {
                first = overlapStart(text, units, first, last, next);
            }
        }
    }

    private boolean fits(String text, Span first, Span last) {
        return count(text, new Span(first.start(), last.end())) <= maxTokens;
    }

    /**
     * The first unit of the next chunk: the earliest trailing unit of the previous chunk such that the
     * carried units fit in {@code overlapTokens} and, together with the next new unit, in {@code maxTokens}.
     */
    private int overlapStart(String text, List<Span> units, int previousFirst, int previousLast, int next) {
        int start = next;
        for (int candidate = previousLast; candidate > previousFirst; candidate--) {
            Span carried = new Span(units.get(candidate).start(), units.get(previousLast).end());
            if (count(text, carried) > overlapTokens || !fits(text, units.get(candidate), units.get(next))) {
                break;
            }
            start = candidate;
        }
        return start;
    }

    private int count(String text, Span span) {
        return counter.count(text.substring(span.start(), span.end()));
    }

    private static void addTrimmed(String text, int start, int end, List<Span> spans) {
        Span span = trimmed(text, start, end);
        if (span != null) {
            spans.add(span);
        }
    }

    private static Span trimmed(String text, int start, int end) {
        while (start < end && isSpace(text.codePointAt(start))) {
            start = text.offsetByCodePoints(start, 1);
        }
        while (end > start && isSpace(text.codePointBefore(end))) {
            end = text.offsetByCodePoints(end, -1);
        }
        return start < end ? new Span(start, end) : null;
    }

    private static boolean isSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }

    private record Span(int start, int end) {
    }
}
