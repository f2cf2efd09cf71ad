package io.docstream.platform.errors;

import java.time.Duration;

/**
 * A read asked to reflect writes (consistency tokens) that the answering instance has not applied within the wait it
 * allows: answered 503 {@value #KIND} with {@code Retry-After}. Nothing was read.
 */
public class NotYetConsistentException extends TemporarilyUnavailableException {

    /** The problem type slug. */
    public static final String KIND = "not-yet-consistent";

    public NotYetConsistentException(String detail, Duration retryAfter) {
        super(detail, retryAfter, null);
    }
}
