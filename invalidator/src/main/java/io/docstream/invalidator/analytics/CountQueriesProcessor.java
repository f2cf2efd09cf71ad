package io.docstream.invalidator.analytics;

import io.docstream.platform.Hashing;
import io.docstream.schemas.events.QueryExecuted;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts each query event into its window (per request shape and per mode, in changelogged stores); its audit
 * record is written by the audit log sink straight from the queries topic. A punctuator writes the counts that changed to PostgreSQL, whole, so the stores are
 * the truth and a repeated flush is harmless; after a restart everything still in the stores is written again.
 * A window's counts leave the stores once stream time passed its end by the grace period.
 */
final class CountQueriesProcessor extends ContextualProcessor<String, QueryExecuted, Void, Void> {

    static final String SHAPES_STORE = "analytics-query-shapes";
    static final String MODES_STORE = "analytics-search-modes";
    private static final Duration EVICTION_INTERVAL = Duration.ofMinutes(1);
    private static final Duration RETENTION_INTERVAL = Duration.ofHours(1);

    private final AnalyticsStore store;
    private final AnalyticsProperties properties;
    private final Clock clock;
    private final Counter counted;
    private final Counter late;
    private final Set<String> dirtyShapes = new LinkedHashSet<>();
    private final Set<String> dirtyModes = new LinkedHashSet<>();
    /**
     * What the stores hold for the windows counted since this task started, kept as objects: the stores' own cache
     * keeps values as bytes, and decoding them again for every counted search cost more than the counting.
     */
    private final Map<String, ShapeCounts> shapesRead = new HashMap<>();
    private final Map<String, ModeCounts> modesRead = new HashMap<>();
    private KeyValueStore<String, ShapeCounts> shapes;
    private KeyValueStore<String, ModeCounts> modes;
    private long streamTimeMillis = Long.MIN_VALUE;
    private Instant lastEviction = Instant.MIN;
    private Instant lastRetentionSweep = Instant.MIN;

    CountQueriesProcessor(AnalyticsStore store, AnalyticsProperties properties, Clock clock, MeterRegistry meters) {
        this.store = Objects.requireNonNull(store, "store");
        this.properties = Objects.requireNonNull(properties, "properties");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.counted = Counter.builder("docstream.analytics.queries").tag("outcome", "counted")
                .description("Query events counted into search analytics").register(meters);
        this.late = Counter.builder("docstream.analytics.queries").tag("outcome", "late")
                .description("Query events not counted: their window had closed").register(meters);
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        super.init(context);
        shapes = context.getStateStore(SHAPES_STORE);
        modes = context.getStateStore(MODES_STORE);
        markEverythingDirty();
        context.schedule(properties.flushInterval(), PunctuationType.WALL_CLOCK_TIME, timestamp -> flush());
    }

    @Override
    public void process(Record<String, QueryExecuted> record) {
        QueryExecuted query = record.value();
        if (query == null) {
            return;
        }
        count(query);
    }

    @Override
    public void close() {
        flush();
    }

    private void count(QueryExecuted query) {
        Instant windowStart = windowStart(query.executedAt());
        if (streamTimeMillis != Long.MIN_VALUE
                && windowStart.plus(properties.window()).plus(properties.grace()).toEpochMilli() < streamTimeMillis) {
            late.increment();
            return;
        }
        streamTimeMillis = Math.max(streamTimeMillis, query.executedAt().toEpochMilli());
        if (query.offset() == 0) {
            String shapeHash = shapeHash(query);
            String key = key(query.tenant(), windowStart, shapeHash);
            ShapeCounts counts = shapesRead.computeIfAbsent(key, shapes::get);
            ShapeCounts counted = counts == null ? ShapeCounts.first(query, windowStart, shapeHash) : counts.plus(query);
            shapes.put(key, counted);
            shapesRead.put(key, counted);
            dirtyShapes.add(key);
        }
        String modeKey = key(query.tenant(), windowStart, query.mode());
        ModeCounts counts = modesRead.computeIfAbsent(modeKey, modes::get);
        ModeCounts now = (counts == null ? ModeCounts.empty(query.tenant(), windowStart, query.mode()) : counts)
                .plus(query);
        modes.put(modeKey, now);
        modesRead.put(modeKey, now);
        dirtyModes.add(modeKey);
        counted.increment();
    }

    /** Writes what changed since the last flush; now and then drops closed windows and expired rows. */
    private void flush() {
        List<ShapeCounts> changedShapes = new ArrayList<>(dirtyShapes.size());
        dirtyShapes.forEach(key -> {
            ShapeCounts counts = shapes.get(key);
            if (counts != null) {
                changedShapes.add(counts);
            }
        });
        List<ModeCounts> changedModes = new ArrayList<>(dirtyModes.size());
        dirtyModes.forEach(key -> {
            ModeCounts counts = modes.get(key);
            if (counts != null) {
                changedModes.add(counts);
            }
        });
        store.write(changedShapes, changedModes);
        dirtyShapes.clear();
        dirtyModes.clear();
        Instant now = clock.instant();
        if (now.isAfter(lastEviction.plus(EVICTION_INTERVAL))) {
            evictClosedWindows();
            lastEviction = now;
        }
        if (now.isAfter(lastRetentionSweep.plus(RETENTION_INTERVAL))) {
            store.deleteBefore(now.minus(properties.retention()));
            lastRetentionSweep = now;
        }
    }

    private void evictClosedWindows() {
        if (streamTimeMillis == Long.MIN_VALUE) {
            return;
        }
        long closedBefore = streamTimeMillis - properties.window().plus(properties.grace()).toMillis();
        evict(shapes, closedBefore);
        evict(modes, closedBefore);
        shapesRead.keySet().removeIf(key -> windowMillisOf(key) < closedBefore);
        modesRead.keySet().removeIf(key -> windowMillisOf(key) < closedBefore);
    }

    private static <V> void evict(KeyValueStore<String, V> counts, long closedBeforeMillis) {
        List<String> closed = new ArrayList<>();
        try (KeyValueIterator<String, V> all = counts.all()) {
            while (all.hasNext()) {
                String key = all.next().key;
                if (windowMillisOf(key) < closedBeforeMillis) {
                    closed.add(key);
                }
            }
        }
        closed.forEach(counts::delete);
    }

    private void markEverythingDirty() {
        try (KeyValueIterator<String, ShapeCounts> all = shapes.all()) {
            all.forEachRemaining(entry -> dirtyShapes.add(entry.key));
        }
        try (KeyValueIterator<String, ModeCounts> all = modes.all()) {
            all.forEachRemaining((KeyValue<String, ModeCounts> entry) -> {
                dirtyModes.add(entry.key);
                streamTimeMillis = Math.max(streamTimeMillis, windowMillisOf(entry.key));
            });
        }
    }

    private Instant windowStart(Instant executedAt) {
        long size = properties.window().toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(executedAt.toEpochMilli(), size) * size);
    }

    /** {@code tenant|window start in epoch millis|part}: tenants hold no '|', and a store sorts by tenant first. */
    static String key(String tenant, Instant windowStart, String part) {
        return tenant + "|" + windowStart.toEpochMilli() + "|" + part;
    }

    private static long windowMillisOf(String key) {
        int first = key.indexOf('|');
        return Long.parseLong(key.substring(first + 1, key.indexOf('|', first + 1)));
    }

    /** SHA-256 of what makes two searches the same request: the query, mode, fusion, k and filters. */
    static String shapeHash(QueryExecuted query) {
        StringBuilder shape = new StringBuilder().append(query.normalizedQueryHash()).append('\n').append(query.mode())
                .append('\n').append(query.fusion()).append('\n').append(query.k());
        new TreeMap<>(query.filters()).forEach((key, value) -> shape.append('\n').append(key).append('=').append(value));
        return Hashing.sha256Hex(shape.toString());
    }

}
