package io.docstream.search.chunking;

import io.docstream.embedding.TokenCounter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ChunkerTests {

    /** One token per whitespace-separated word: easy to reason about in assertions. */
    private static final TokenCounter WORDS = text -> text.isBlank() ? 0 : text.strip().split("\\s+").length;

    private static final List<String> VOCABULARY = List.of("stream", "kafka", "index", "vector", "query", "search",
            "document", "chunk", "token", "model", "partition", "offset", "replica", "broker", "lucene", "cache");

    @Test
    void refusesAnOverlapThatIsNotSmallerThanTheChunkSize() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Chunker(32, 32, WORDS));
        assertThatIllegalArgumentException().isThrownBy(() -> new Chunker(0, 0, WORDS));
        assertThatIllegalArgumentException().isThrownBy(() -> new Chunker(10, -1, WORDS));
    }

    @Test
    void producesNoChunksForBlankText() {
        Chunker chunker = new Chunker(50, 10, WORDS);

        assertThat(chunker.chunk("")).isEmpty();
        assertThat(chunker.chunk(" \n\n\t \u00a0 ")).isEmpty();
    }

    @Test
    void keepsAShortTextInOneChunkWithItsOffsets() {
        String text = "  Kafka keeps the order per key. Lucene indexes it.  ";

        List<Chunk> chunks = new Chunker(50, 10, WORDS).chunk(text);

        assertThat(chunks).singleElement().satisfies(chunk -> {
            assertThat(chunk.index()).isZero();
            assertThat(chunk.text()).isEqualTo("Kafka keeps the order per key. Lucene indexes it.");
            assertThat(chunk.tokenCount()).isEqualTo(9);
            assertThat(text.substring(chunk.startOffset(), chunk.endOffset())).isEqualTo(chunk.text());
            assertThat(chunk.hash()).isEqualTo(Chunker.hash(chunk.text())).hasSize(64);
        });
    }

    @Test
    void respectsTheTokenBoundForEveryChunkAndCoversTheWholeText() {
        String text = longText(new Random(7), 12);
        Chunker chunker = new Chunker(40, 8, WORDS);

        List<Chunk> chunks = chunker.chunk(text);

        assertThat(chunks).hasSizeGreaterThan(12);
        assertWellFormed(text, chunks, WORDS, 40);
        assertThat(wordsOf(chunks)).isEqualTo(Arrays.stream(text.split("\\s+")).filter(w -> !w.isEmpty())
                .collect(Collectors.toSet()));
    }

    @Test
    void respectsTheBoundMeasuredWithTheModelsWordPieceTokenizer() {
        HuggingFaceTokenCountEstimator estimator = new HuggingFaceTokenCountEstimator();
        TokenCounter wordPieces = estimator::estimateTokenCountInText;
        String text = longText(new Random(11), 8) + "\n\nSupercalifragilisticexpialidocious antidisestablishmentarianism "
                + "pneumonoultramicroscopicsilicovolcanoconiosis ".repeat(40);

        List<Chunk> chunks = new Chunker(64, 16, wordPieces).chunk(text);

        assertWellFormed(text, chunks, wordPieces, 64);
    }

    @Test
    void carriesTrailingSentencesIntoTheNextChunkOfAParagraph() {
        String paragraph = "Alpha one two three four. Bravo one two three four. Charlie one two three four. "
                + "Delta one two three four. Echo one two three four. Foxtrot one two three four.";

        List<Chunk> chunks = new Chunker(12, 5, WORDS).chunk(paragraph);

        assertThat(chunks).extracting(Chunk::text).containsExactly(
                "Alpha one two three four. Bravo one two three four.",
                "Bravo one two three four. Charlie one two three four.",
                "Charlie one two three four. Delta one two three four.",
                "Delta one two three four. Echo one two three four.",
                "Echo one two three four. Foxtrot one two three four.");
    }

    @Test
    void doesNotCarryOverlapAcrossParagraphs() {
        String text = "First paragraph sentence one. First paragraph sentence two.\n\n"
                + "Second paragraph sentence one. Second paragraph sentence two.";

        List<Chunk> chunks = new Chunker(10, 5, WORDS).chunk(text);

        assertThat(chunks).extracting(Chunk::text).containsExactly(
                "First paragraph sentence one. First paragraph sentence two.",
                "Second paragraph sentence one. Second paragraph sentence two.");
        assertThat(chunks.get(1).startOffset()).isEqualTo(text.indexOf("Second"));
    }

    @Test
    void splitsASentenceLongerThanTheBoundOnWordBoundaries() {
        String sentence = String.join(" ", VOCABULARY) + " " + String.join(" ", VOCABULARY) + ".";

        List<Chunk> chunks = new Chunker(10, 2, WORDS).chunk(sentence);

        assertThat(chunks).hasSizeGreaterThan(3);
        assertWellFormed(sentence, chunks, WORDS, 10);
        Set<String> vocabulary = Set.copyOf(VOCABULARY);
        for (Chunk chunk : chunks) {
            for (String word : chunk.text().replace(".", "").split(" ")) {
                assertThat(vocabulary).as("whole words only").contains(word);
            }
        }
    }

    @Test
    void changesOnlyTheHashesOfChunksCoveringAnEditedParagraph() {
        Random random = new Random(42);
        List<String> paragraphs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            paragraphs.add(paragraph(random, 6 + random.nextInt(6)));
        }
        String original = String.join("\n\n", paragraphs);
        List<String> edited = new ArrayList<>(paragraphs);
        edited.set(4, paragraphs.get(4).replaceFirst("\\.", " and then some more words were added here."));
        String changed = String.join("\n\n", edited);
        Chunker chunker = new Chunker(40, 10, WORDS);

        List<Chunk> before = chunker.chunk(original);
        List<Chunk> after = chunker.chunk(changed);

        int editStart = changed.indexOf(edited.get(4));
        int editEnd = editStart + edited.get(4).length();
        Set<String> beforeHashes = before.stream().map(Chunk::hash).collect(Collectors.toSet());
        for (Chunk chunk : after) {
            boolean coversEdit = chunk.startOffset() < editEnd && chunk.endOffset() > editStart;
            if (!coversEdit) {
                assertThat(beforeHashes).as("unchanged chunk %s", chunk.index()).contains(chunk.hash());
            }
        }
        Set<String> afterHashes = after.stream().map(Chunk::hash).collect(Collectors.toSet());
        int originalStart = original.indexOf(paragraphs.get(4));
        int originalEnd = originalStart + paragraphs.get(4).length();
        List<Chunk> removed = before.stream().filter(chunk -> !afterHashes.contains(chunk.hash())).toList();
        assertThat(removed).isNotEmpty().allSatisfy(chunk -> {
            assertThat(chunk.startOffset()).isGreaterThanOrEqualTo(originalStart);
            assertThat(chunk.endOffset()).isLessThanOrEqualTo(originalEnd);
        });
    }

    @Test
    void putsConsecutiveShortParagraphsIntoOneChunkUpToTheBound() {
        List<String> paragraphs = List.of("NAME\n  getpid - get process identification", "LIBRARY\n  Standard C library (libc, -lc)",
                "SYNOPSIS\n  pid_t getpid(void);", "DESCRIPTION\n  getpid returns the process ID of the calling process.");
        String text = String.join("\n\n", paragraphs);

        List<Chunk> merged = new Chunker(200, 20, WORDS).chunk(text);
        List<Chunk> tight = new Chunker(12, 2, WORDS).chunk(text);

        assertThat(merged).extracting(Chunk::text).containsExactly(text);
        assertWellFormed(text, tight, WORDS, 12);
        assertThat(tight).hasSizeLessThan(paragraphs.size());
        assertThat(String.join("\n\n", tight.stream().map(Chunk::text).toList())).isEqualTo(text);
    }

    @Test
    void closesASectionAfterAnAnchorParagraph() {
        // The normalised hash of the second paragraph starts with 8: an anchor.
        String text = "NAME\n  getpid - get process identification\n\nLIBRARY\n  Standard C library\n\n"
                + "SYNOPSIS\n  pid_t getpid(void);";

        List<Chunk> chunks = new Chunker(200, 20, WORDS).chunk(text);

        assertThat(Chunker.hash("LIBRARY Standard C library")).startsWith("8");
        assertThat(chunks).extracting(Chunk::text).containsExactly(
                "NAME\n  getpid - get process identification\n\nLIBRARY\n  Standard C library",
                "SYNOPSIS\n  pid_t getpid(void);");
    }

    @Test
    void anEditMovesChunkBoundariesOnlyUpToTheNextAnchorParagraph() {
        Random random = new Random(7);
        List<String> paragraphs = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            paragraphs.add(paragraph(random, 1 + random.nextInt(2)));
        }
        Chunker chunker = new Chunker(60, 10, WORDS);
        List<Chunk> before = chunker.chunk(String.join("\n\n", paragraphs));
        assertThat(before).as("short paragraphs share chunks").hasSizeLessThan(paragraphs.size() / 2);

        int worst = 0;
        for (int edited = 0; edited < paragraphs.size(); edited++) {
            List<String> changed = new ArrayList<>(paragraphs);
            changed.set(edited, paragraphs.get(edited) + " " + paragraph(random, 2));
            Set<String> afterHashes = chunker.chunk(String.join("\n\n", changed)).stream().map(Chunk::hash)
                    .collect(Collectors.toSet());
            worst = Math.max(worst, (int) before.stream().filter(chunk -> !afterHashes.contains(chunk.hash())).count());
        }
        assertThat(worst).as("chunks whose vectors an edit of one paragraph invalidates, at worst").isLessThanOrEqualTo(6);
    }

    @Test
    void chunksTheSameTextTheSameWayEveryTime() {
        String text = longText(new Random(3), 6);

        List<Chunk> first = new Chunker(30, 6, WORDS).chunk(text);
        List<Chunk> second = new Chunker(30, 6, WORDS).chunk(text);

        assertThat(second).isEqualTo(first);
    }

    @Test
    void handlesUnicodeWithoutBreakingCharacters() {
        String text = "Grüße aus Köln! Das Café öffnet um acht. 🚀 Raketen starten heute. "
                + "東京は日本の首都です。大阪は大きな都市です。\n\n"
                + "Emoji 👩‍👩‍👧‍👦 families stay whole. Ｆｕｌｌｗｉｄｔｈ letters too.";
        TokenCounter codePoints = t -> t.strip().codePointCount(0, t.strip().length());

        List<Chunk> chunks = new Chunker(20, 4, codePoints).chunk(text);

        assertWellFormed(text, chunks, codePoints, 20);
        for (Chunk chunk : chunks) {
            assertThat(Character.isLowSurrogate(chunk.text().charAt(0))).isFalse();
            assertThat(Character.isHighSurrogate(chunk.text().charAt(chunk.text().length() - 1))).isFalse();
        }
    }

    @Test
    void hashesNormalisedTextSoEquivalentSpellingsMatch() {
        assertThat(Chunker.hash("ﬁne   print\n\there")).isEqualTo(Chunker.hash("fine print here"));
        assertThat(Chunker.hash("  Ｋａｆｋａ\u00a0topics ")).isEqualTo(Chunker.hash("Kafka topics"));
        assertThat(Chunker.hash("Kafka topics")).isNotEqualTo(Chunker.hash("kafka topics"));
        assertThat(Chunker.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    private static void assertWellFormed(String text, List<Chunk> chunks, TokenCounter counter, int maxTokens) {
        assertThat(chunks).isNotEmpty();
        int previousStart = -1;
        for (int i = 0; i < chunks.size(); i++) {
            Chunk chunk = chunks.get(i);
            assertThat(chunk.index()).isEqualTo(i);
            assertThat(chunk.text()).isNotBlank().isEqualTo(chunk.text().strip());
            assertThat(text.substring(chunk.startOffset(), chunk.endOffset())).isEqualTo(chunk.text());
            assertThat(counter.count(chunk.text())).as("tokens of chunk %s", i)
                    .isEqualTo(chunk.tokenCount()).isLessThanOrEqualTo(maxTokens);
            assertThat(chunk.hash()).isEqualTo(Chunker.hash(chunk.text()));
            assertThat(chunk.startOffset()).isGreaterThan(previousStart);
            previousStart = chunk.startOffset();
        }
    }

    private static Set<String> wordsOf(List<Chunk> chunks) {
        return chunks.stream().flatMap(chunk -> Arrays.stream(chunk.text().split("\\s+"))).collect(Collectors.toSet());
    }

    private static String longText(Random random, int paragraphs) {
        List<String> result = new ArrayList<>();
        for (int i = 0; i < paragraphs; i++) {
            result.add(paragraph(random, 3 + random.nextInt(10)));
        }
        return String.join("\n\n", result);
    }

    private static String paragraph(Random random, int sentences) {
        List<String> result = new ArrayList<>();
        for (int s = 0; s < sentences; s++) {
            int words = 3 + random.nextInt(s % 5 == 4 ? 60 : 15);
            List<String> sentence = new ArrayList<>();
            for (int w = 0; w < words; w++) {
                sentence.add(VOCABULARY.get(random.nextInt(VOCABULARY.size())));
            }
            String joined = String.join(" ", sentence);
            result.add(Character.toUpperCase(joined.charAt(0)) + joined.substring(1) + ".");
        }
        return String.join(" ", result);
    }
}
