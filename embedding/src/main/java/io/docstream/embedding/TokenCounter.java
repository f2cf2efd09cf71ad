package io.docstream.embedding;

/**
 * Counts the tokens a text occupies in an embedding model's window, without the model's special
 * tokens ({@code [CLS]}, {@code [SEP]}). Implementations are thread-safe.
 */
@FunctionalInterface
public interface TokenCounter {

    int count(String text);

    /**
     * A model-agnostic estimate for embedders that do not expose their tokenizer: one token per three
     * characters, rounded up. WordPiece and BPE vocabularies average three and a half to four
     * characters per English token, so the estimate errs on the side of smaller chunks.
     */
    static TokenCounter approximate() {
        return text -> {
            String stripped = text.strip();
            return (stripped.codePointCount(0, stripped.length()) + 2) / 3;
        };
    }
}
