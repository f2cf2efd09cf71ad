package io.docstream.invalidator.analytics;

import io.docstream.invalidator.analytics.AnalyticsSerdes.ModeCountsSerde;
import io.docstream.invalidator.analytics.AnalyticsSerdes.ShapeCountsSerde;
import io.docstream.schemas.events.QueryExecuted;
import io.docstream.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;
import org.jooq.DSLContext;

/**
 * The analytics app: queries topic → counts per tenant, window, request shape and mode (stores, flushed to
 * {@code query_stats} and {@code search_stats}). Each search's audit record is written by the audit log sink
 * straight from the queries topic ({@code SearchAudits}). Knows nothing of Spring.
 */
public final class AnalyticsTopology {

    private final AnalyticsStore store;
    private final AnalyticsProperties properties;
    private final Clock clock;
    private final MeterRegistry meters;

    public AnalyticsTopology(DSLContext dsl, AnalyticsProperties properties) {
        this(dsl, properties, Clock.systemUTC(), new CompositeMeterRegistry());
    }

    public AnalyticsTopology(DSLContext dsl, AnalyticsProperties properties, Clock clock, MeterRegistry meters) {
        this.store = new AnalyticsStore(dsl);
        this.properties = Objects.requireNonNull(properties, "properties");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    /** Adds the analytics app's nodes to {@code builder}. */
    public void build(StreamsBuilder builder) {
        addStores(builder);
        countQueries(skipTombstones(readQueries(builder)));
    }

    /** The whole topology, for {@code TopologyTestDriver} and for describing it. */
    public Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        build(builder);
        return builder.build();
    }

    /**
     * Both stores cache their writes until the next commit, so a popular request shape counted many times between
     * commits costs one changelog record, not one per search.
     */
    private static void addStores(StreamsBuilder builder) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CountQueriesProcessor.SHAPES_STORE), Serdes.String(),
                new ShapeCountsSerde()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CountQueriesProcessor.MODES_STORE), Serdes.String(),
                new ModeCountsSerde()).withCachingEnabled());
    }

    private static KStream<String, QueryExecuted> readQueries(StreamsBuilder builder) {
        return builder.stream(Topics.QUERIES.name(),
                Consumed.with(Topics.QUERIES.keySerde(), Topics.QUERIES.valueSerde()).withName("read-queries"));
    }

    private static KStream<String, QueryExecuted> skipTombstones(KStream<String, QueryExecuted> queries) {
        return queries.filter((tenant, query) -> query != null, Named.as("skip-empty-queries"));
    }

    private void countQueries(KStream<String, QueryExecuted> queries) {
        queries.process(() -> new CountQueriesProcessor(store, properties, clock, meters),
                Named.as("count-queries"), CountQueriesProcessor.SHAPES_STORE, CountQueriesProcessor.MODES_STORE);
    }
}
