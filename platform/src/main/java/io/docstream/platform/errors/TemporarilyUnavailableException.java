package io.docstream.platform.errors;

import java.time.Duration;
import java.util.Objects;

/**
 * A dependency cannot answer now; the same request may succeed after {@link #retryAfter()}. Nothing the request
 * asked for was done.
 */
public class TemporarilyUnavailableException extends RuntimeException {

    private final Duration retryAfter;

    public TemporarilyUnavailableException(String detail, Duration retryAfter, Throwable cause) {
        super(detail, cause);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
