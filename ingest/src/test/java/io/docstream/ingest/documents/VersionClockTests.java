package io.docstream.ingest.documents;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class VersionClockTests {

    @Test
    void versionsAreEpochMicroseconds() {
        Instant now = Instant.parse("2026-11-22T10:15:30.123456Z");
        VersionClock clock = new VersionClock(Clock.fixed(now, ZoneOffset.UTC));

        assertThat(clock.next()).isEqualTo(1_795_342_530_123_456L);
    }

    @Test
    void versionsStrictlyIncreaseEvenWhenTheClockStallsOrStepsBack() {
        MutableClock time = new MutableClock(Instant.parse("2026-11-22T10:15:30Z"));
        VersionClock clock = new VersionClock(time);

        long first = clock.next();
        long second = clock.next();
        time.now = time.now.minusSeconds(60);
        long third = clock.next();

        assertThat(second).isGreaterThan(first);
        assertThat(third).isGreaterThan(second);
    }

    private static final class MutableClock extends Clock {

        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
