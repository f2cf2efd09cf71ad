package io.docstream.platform.streams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How long a failed stream thread waits before its replacement starts: exponential in the number of failures in a
 * row ({@code initial}, twice that, ... up to {@code max}), each delay spread by +-20 % jitter so several apps
 * failing on the same outage do not retry in step. A thread that ran for {@code max} without failing again starts
 * the sequence over. A dependency that stays down is thus asked about twice a minute, not every two seconds, and
 * nothing is dropped meanwhile: the replacement resumes from the last commit. Thread-safe.
 */
public final class RestartBackoff {

    private static final double JITTER = 0.2;

    private final Duration initial;
    private final Duration max;
    private final Clock clock;
    private final DoubleSupplier random;
    private int failuresInARow;
    private Instant lastFailure;

    public RestartBackoff(Duration initial, Duration max, Clock clock, DoubleSupplier random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initial = initial;
        this.max = max;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Records a failure now and returns how long to wait before the next attempt. */
    public synchronized Duration nextDelay() {
        Instant now = clock.instant();
        if (lastFailure != null && Duration.between(lastFailure, now).compareTo(max.plus(maxDelayWithJitter())) > 0) {
            failuresInARow = 0;
        }
        lastFailure = now;
        long base = initial.toMillis() << Math.min(failuresInARow, 20);
        failuresInARow++;
        long capped = Math.min(base, max.toMillis());
        double factor = 1 - JITTER + 2 * JITTER * random.getAsDouble();
        return Duration.ofMillis(Math.round(capped * factor));
    }

    private Duration maxDelayWithJitter() {
        return Duration.ofMillis(Math.round(max.toMillis() * (1 + JITTER)));
    }
}
