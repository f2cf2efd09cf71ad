package io.docstream.ingest.documents;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Versions for commands whose producer gave none: microseconds since the epoch, strictly increasing
 * within this instance even when the wall clock stalls or steps back.
 */
final class VersionClock {

    private final Clock clock;
    private final AtomicLong last = new AtomicLong();

    VersionClock(Clock clock) {
        this.clock = clock;
    }

    long next() {
        long now = ChronoUnit.MICROS.between(Instant.EPOCH, clock.instant());
        return last.updateAndGet(previous -> Math.max(previous + 1, now));
    }
}
