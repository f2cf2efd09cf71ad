package io.docstream.indexer.indexing;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the indexer insists on a command that fails because of its own data: {@code maxAttempts}
 * tries, alone, with an exponential pause starting at {@code backoff}, before the command goes to the DLQ.
 * The pauses block the stream thread, so both are capped to stay far below {@code max.poll.interval.ms}
 * even for a batch of poison.
 */
public record PoisonPolicy(int maxAttempts, Duration backoff) {

    public static final int MAX_ATTEMPTS = 10;
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    public PoisonPolicy {
        Objects.requireNonNull(backoff, "backoff");
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("max attempts must be between 1 and " + MAX_ATTEMPTS + ": " + maxAttempts);
        }
        if (backoff.isNegative() || backoff.compareTo(MAX_BACKOFF) > 0) {
            throw new IllegalArgumentException("retry backoff must be between 0 and " + MAX_BACKOFF + ": " + backoff);
        }
    }

    public static PoisonPolicy defaults() {
        return new PoisonPolicy(3, Duration.ofMillis(100));
    }

    /** The pause after failed attempt {@code attempt} (1-based): backoff, then twice that, and so on. */
    Duration pauseAfter(int attempt) {
        return backoff.multipliedBy(1L << Math.min(attempt - 1, 16));
    }
}
