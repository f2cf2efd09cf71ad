package io.docstream.search.chunking;

import io.docstream.embedding.TokenCounter;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Fuzzes the chunker with arbitrary text, chunk sizes and overlaps: chunks come in source order, each is
 * the source text at its offsets and within the token budget, every letter and digit of the text is in
 * some chunk, and the same input always gives the same chunks. Regression inputs live under
 * {@code ChunkerFuzzTestsInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class ChunkerFuzzTests {

    /** One token per whitespace-separated word. */
    private static final TokenCounter WORDS = text -> text.isBlank() ? 0 : text.strip().split("\\s+").length;

    @FuzzTest(maxDuration = "60s")
    void chunksCoverTheTextInOrderWithinTheBudget(FuzzedDataProvider data) {
        int maxTokens = data.consumeInt(1, 64);
        int overlapTokens = data.consumeInt(0, maxTokens - 1);
        TokenCounter counter = data.consumeBoolean() ? WORDS : TokenCounter.approximate();
        String text = data.consumeRemainingAsString();
        Chunker chunker = new Chunker(maxTokens, overlapTokens, counter);

        List<Chunk> chunks = chunker.chunk(text);

        Chunk previous = null;
        for (int i = 0; i < chunks.size(); i++) {
            Chunk chunk = chunks.get(i);
            assertThat(chunk.index()).isEqualTo(i);
            assertThat(chunk.startOffset()).isGreaterThanOrEqualTo(0).isLessThan(chunk.endOffset());
            assertThat(chunk.endOffset()).isLessThanOrEqualTo(text.length());
            assertThat(chunk.text()).isEqualTo(text.substring(chunk.startOffset(), chunk.endOffset())).isNotBlank();
            assertThat(chunk.tokenCount()).isEqualTo(counter.count(chunk.text())).isLessThanOrEqualTo(maxTokens);
            assertThat(chunk.hash()).isEqualTo(Chunker.hash(chunk.text()));
            if (previous != null) {
                assertThat(chunk.startOffset()).as("chunks in source order").isGreaterThanOrEqualTo(previous.startOffset());
                assertThat(chunk.endOffset()).as("each chunk moves forward").isGreaterThan(previous.endOffset());
            }
            previous = chunk;
        }
        int covered = 0;
        for (int offset = 0; offset < text.length(); offset = text.offsetByCodePoints(offset, 1)) {
            if (Character.isLetterOrDigit(text.codePointAt(offset))) {
                while (covered < chunks.size() && chunks.get(covered).endOffset() <= offset) {
                    covered++;
                }
                assertThat(covered).as("the letter or digit at %d is in a chunk", offset).isLessThan(chunks.size());
                assertThat(chunks.get(covered).startOffset()).as("the letter or digit at %d is in a chunk", offset)
                        .isLessThanOrEqualTo(offset);
            }
        }
        assertThat(chunker.chunk(text)).as("deterministic").isEqualTo(chunks);
    }
}
