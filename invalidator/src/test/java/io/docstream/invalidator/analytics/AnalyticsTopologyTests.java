package io.docstream.invalidator.analytics;

import static io.docstream.schemas.db.Tables.QUERY_STATS;
import static io.docstream.schemas.db.Tables.SEARCH_STATS;
import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.testing.MutableClock;
import io.docstream.platform.testing.TestDatabase;
import io.docstream.schemas.analytics.LatencyBuckets;
import io.docstream.schemas.db.tables.records.QueryStatsRecord;
import io.docstream.schemas.db.tables.records.SearchStatsRecord;
import io.docstream.schemas.events.QueryExecuted;
import io.docstream.schemas.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analytics app's production topology in {@code TopologyTestDriver}, writing to a real PostgreSQL. */
class AnalyticsTopologyTests {

    private static final TestDatabase database = TestDatabase.shared();
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:05Z");
    private static final String KEY = "1f0e4c9a-0b1d-4d2e-9a7b-3c5d6e7f8a9b";

    @TempDir
    Path stateDir;

    private final MutableClock clock = new MutableClock(T0);
    private final AnalyticsProperties properties = new AnalyticsProperties(true, Duration.ofMinutes(1),
            Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofDays(30), true, Duration.ofSeconds(1));
    private TopologyTestDriver driver;
    private TestInputTopic<String, QueryExecuted> queries;

    @BeforeEach
    void startTopology() {
        database.truncateAll();
        driver = driver(properties);
    }

    private TopologyTestDriver driver(AnalyticsProperties settings) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "analytics-tests");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        TopologyTestDriver created = new TopologyTestDriver(
                new AnalyticsTopology(database.dsl(), settings, clock, new SimpleMeterRegistry()).topology(), config,
                T0);
        queries = created.createInputTopic(Topics.QUERIES.name(), Topics.QUERIES.keySerde().serializer(),
                Topics.QUERIES.valueSerde().serializer());
        return created;
    }

    @AfterEach
    void stopTopology() {
        driver.close();
    }

    @Test
    void countsTheSearchesOfEachRequestShapeInItsWindow() {
        send(query("kafka partitions", "hybrid", 0, 3, 2_000, "miss"));
        send(query("kafka partitions", "hybrid", 0, 3, 400, "l1"));
        send(query("kafka partitions", "keyword", 0, 0, 900, "miss"));
        send(query("kafka partitions", "hybrid", 10, 3, 800, "l2"));   // the same search's second page
        flush();

        List<QueryStatsRecord> shapes = database.dsl().selectFrom(QUERY_STATS).orderBy(QUERY_STATS.MODE).fetch();
        assertThat(shapes).hasSize(2);
        QueryStatsRecord hybrid = shapes.get(0);
        assertThat(hybrid.getQueryText()).isEqualTo("kafka partitions");
        assertThat(hybrid.getQueryHash()).isEqualTo(sha256("kafka partitions"));
        assertThat(hybrid.getSearches()).as("first pages only").isEqualTo(2);
        assertThat(hybrid.getZeroResults()).isZero();
        assertThat(hybrid.getLatencySumMicros()).isEqualTo(2_400);
        assertThat(hybrid.getLatencyMaxMicros()).isEqualTo(2_000);
        assertThat(hybrid.getWindowStart()).isEqualTo(Instant.parse("2026-12-07T10:00:00Z").atOffset(ZoneOffset.UTC));
        assertThat(hybrid.getFusion()).isEqualTo("weighted");
        assertThat(shapes.get(1).getSearches()).isEqualTo(1);
        assertThat(shapes.get(1).getZeroResults()).isEqualTo(1);

        SearchStatsRecord modes = database.dsl().selectFrom(SEARCH_STATS).where(SEARCH_STATS.MODE.eq("hybrid"))
                .fetchOne();
        assertThat(modes.getSearches()).as("every page").isEqualTo(3);
        assertThat(modes.getFirstPages()).isEqualTo(2);
        assertThat(modes.getL1Hits()).isEqualTo(1);
        assertThat(modes.getL2Hits()).isEqualTo(1);
        assertThat(modes.getMisses()).isEqualTo(1);
        long[] buckets = java.util.Arrays.stream(modes.getLatencyBuckets()).mapToLong(Long::longValue).toArray();
        assertThat(buckets).hasSize(LatencyBuckets.SIZE);
        assertThat(buckets[LatencyBuckets.index(2_000)]).isEqualTo(1);
        assertThat(LatencyBuckets.quantileMillis(buckets, 1.0)).isEqualTo(2.0);
    }

    @Test
    void writesTheCountsSoFarWholeSoARepeatedFlushChangesNothing() {
        send(query("otters", "semantic", 0, 2, 1_000, "miss"));
        flush();
        send(query("otters", "semantic", 0, 2, 1_000, "l1"));
        flush();
        flush();

        assertThat(database.dsl().select(QUERY_STATS.SEARCHES).from(QUERY_STATS).fetchOne(QUERY_STATS.SEARCHES))
                .isEqualTo(2);
        assertThat(database.dsl().fetchCount(SEARCH_STATS)).isEqualTo(1);
    }

    @Test
    void anEventWithAnOddKeyIdOrNoneIsStillCountedAndAudited() {
        for (String keyId : java.util.Arrays.asList("key-1", "", null)) {
            send(new QueryExecuted(UUID.randomUUID(), "acme", sha256("odd"), "odd", "keyword", null, 10, 0, Map.of(),
                    300, "miss", List.of("doc-1"), List.of(), keyId, null, null, T0));
        }
        flush();

        assertThat(database.dsl().fetchOne("select sum(searches) from query_stats where query_text = 'odd'")
                .get(0, Long.class)).isEqualTo(3);
    }

    @Test
    void leavesOutEventsWhoseWindowClosedBeforeTheyCame() {
        send(query("otters", "semantic", 0, 2, 1_000, "miss"));
        QueryExecuted muchLater = query("otters", "semantic", 0, 2, 1_000, "miss", T0.plus(Duration.ofHours(2)));
        send(muchLater);
        send(query("otters", "semantic", 0, 2, 1_000, "miss"));   // its window closed an hour and a half ago
        flush();

        assertThat(database.dsl().select(QUERY_STATS.SEARCHES).from(QUERY_STATS)
                .orderBy(QUERY_STATS.WINDOW_START).fetch(QUERY_STATS.SEARCHES)).containsExactly(1L, 1L);
    }

    @Test
    void countsEachTenantApart() {
        send(query("otters", "semantic", 0, 2, 1_000, "miss"));
        send(new QueryExecuted(UUID.randomUUID(), "globex", sha256("otters"), "otters", "semantic", null, 10, 0,
                Map.of(), 1_000, "miss", List.of("x"), List.of(), KEY, null, null, T0));
        flush();

        assertThat(database.dsl().select(QUERY_STATS.TENANT_ID).from(QUERY_STATS).orderBy(QUERY_STATS.TENANT_ID)
                .fetch(QUERY_STATS.TENANT_ID)).containsExactly("acme", "globex");
    }

    private void send(QueryExecuted query) {
        queries.pipeInput(query.tenant(), query, query.executedAt());
    }

    private void flush() {
        clock.advance(Duration.ofSeconds(2));
        driver.advanceWallClockTime(Duration.ofSeconds(2));
    }

    private static QueryExecuted query(String text, String mode, int offset, int results, long latencyMicros,
            String layer) {
        return query(text, mode, offset, results, latencyMicros, layer, T0);
    }

    private static QueryExecuted query(String text, String mode, int offset, int results, long latencyMicros,
            String layer, Instant at) {
        List<String> ids = java.util.stream.IntStream.range(0, results).mapToObj(i -> "doc-" + i).toList();
        return new QueryExecuted(UUID.randomUUID(), "acme", sha256(text), text, mode,
                mode.equals("hybrid") ? "weighted" : null, 10, offset, Map.of(), latencyMicros, layer, ids, List.of(),
                KEY, "req-1", "4bf92f3577b34da6a3ce929d0e0e4736", at);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
