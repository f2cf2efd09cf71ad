package io.docstream.indexer.reindex;

/** A reindex request that does not fit the current state (answered 409), e.g. a second start or an early switch. */
final class ReindexConflictException extends RuntimeException {

    ReindexConflictException(String message) {
        super(message);
    }

    ReindexConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
