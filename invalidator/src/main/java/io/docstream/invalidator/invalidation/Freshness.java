package io.docstream.invalidator.invalidation;

import io.docstream.schemas.events.DocumentIndexed;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code docstream.freshness{tenant}}: from ingest accepting a command to the invalidator making that version
 * searchable, with histogram buckets at the freshness targets an operator alerts on. Recorded once per version
 * that moves forward; a replayed or older event records nothing.
 */
final class Freshness {

    static final String METER = "docstream.freshness";

    private static final Duration[] BOUNDARIES = {
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30) };

    private final MeterRegistry meters;

    Freshness(MeterRegistry meters) {
        this.meters = meters;
    }

    void searchable(DocumentIndexed event, Instant searchableAt) {
        if (event.acceptedAt() == null) {
            return;
        }
        Duration freshness = Duration.between(event.acceptedAt(), searchableAt);
        Timer.builder(METER)
                .description("Time from a command's acceptance by ingest to its version being searchable")
                .tag("tenant", event.tenant())
                .serviceLevelObjectives(BOUNDARIES)
                .minimumExpectedValue(BOUNDARIES[0])
                .maximumExpectedValue(BOUNDARIES[BOUNDARIES.length - 1])
                .register(meters)
                .record(freshness.isNegative() ? Duration.ZERO : freshness);
    }
}
