package io.docstream.embedding.http;

/**
 * The embedding service did not answer usefully (down, too slow, overloaded, or refused by the breaker or
 * bulkhead). It says nothing about the text: the indexer pauses and retries the same records later.
 */
public final class EmbeddingUnavailableException extends RuntimeException {

    public EmbeddingUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
