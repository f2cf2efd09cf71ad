package io.docstream.query.search;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Search meters: {@code docstream.search.duration} by mode and the cache layer that answered ({@code l1},
 * {@code l2}, {@code miss}), with histogram buckets at fixed boundaries so percentiles aggregate across
 * instances; and {@code docstream.search.degraded} per missing part ({@code semantic}, {@code keyword},
 * {@code cache}) of an answer; {@code docstream.search.no.results} by mode, first pages that found nothing.
 */
final class SearchMetrics {

    static final String DURATION = "docstream.search.duration";
    static final String DEGRADED = "docstream.search.degraded";
    static final String NO_RESULTS = "docstream.search.no.results";

    private static final Duration[] BOUNDARIES = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5) };

    private final MeterRegistry meters;
    /** The timer of each mode and layer, registered once: looking it up per search costs more than recording. */
    private final Map<SearchMode, Map<String, Timer>> durations = new EnumMap<>(SearchMode.class);

    SearchMetrics(MeterRegistry meters) {
        this.meters = meters;
        for (SearchMode mode : SearchMode.values()) {
            durations.put(mode, new ConcurrentHashMap<>());
        }
    }

    void answered(SearchMode mode, String cache, List<String> degraded, boolean foundNothing, long nanos) {
        durations.get(mode).computeIfAbsent(cache, layer -> Timer.builder(DURATION)
                .description("Time to answer a search, by mode and the cache layer that answered")
                .tag("mode", mode.value())
                .tag("cache", layer)
                .serviceLevelObjectives(BOUNDARIES)
                .minimumExpectedValue(BOUNDARIES[0])
                .maximumExpectedValue(BOUNDARIES[BOUNDARIES.length - 1])
                .register(meters))
                .record(nanos, TimeUnit.NANOSECONDS);
        if (foundNothing) {
            Counter.builder(NO_RESULTS)
                    .description("First pages of searches that found nothing, by mode")
                    .tag("mode", mode.value())
                    .register(meters)
                    .increment();
        }
        for (String part : degraded) {
            Counter.builder(DEGRADED)
                    .description("Search answers missing a part (a retrieval, or the shared cache)")
                    .tag("part", part)
                    .register(meters)
                    .increment();
        }
    }
}
