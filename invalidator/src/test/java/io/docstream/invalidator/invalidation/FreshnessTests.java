package io.docstream.invalidator.invalidation;

import static io.docstream.schemas.db.Tables.INDEXING_STATUS;
import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.redis.Redis;
import io.docstream.platform.redis.TestRedis;
import io.docstream.platform.testing.TestDatabase;
import io.docstream.schemas.events.DocumentIndexed;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.topics.Topics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code docstream.freshness}: accepted → searchable, per tenant, once per version that becomes searchable. */
class FreshnessTests {

    private static final TestDatabase database = TestDatabase.shared();
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static TestRedis redis;
    private static Redis serviceRedis;

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<DocumentKey, DocumentIndexed> indexed;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
        serviceRedis = redis.serviceClient();
    }

    @AfterAll
    static void stopRedis() {
        serviceRedis.close();
        redis.close();
    }

    @BeforeEach
    void startTopology() {
        database.truncateAll();
        database.ensureTenant("acme");
        database.ensureTenant("umbrella");
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "freshness-tests");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(new InvalidatorTopology(database.dsl(), serviceRedis,
                Clock.fixed(NOW, ZoneOffset.UTC), meters).topology(), config);
        indexed = driver.createInputTopic(Topics.INDEXED.name(), Topics.INDEXED.keySerde().serializer(),
                Topics.INDEXED.valueSerde().serializer());
    }

    @AfterEach
    void stopTopology() {
        driver.close();
    }

    @Test
    void recordsTheTimeFromAcceptanceToSearchablePerTenant() {
        indexedByTheIndexer("acme", "doc-1", 3);
        indexedByTheIndexer("umbrella", "doc-9", 1);

        pipe(event("acme", "doc-1", 3, NOW.minusMillis(1_500)));
        pipe(event("umbrella", "doc-9", 1, NOW.minusMillis(200)));

        Timer acme = freshness("acme");
        assertThat(acme.count()).isEqualTo(1);
        assertThat(acme.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1_500);
        assertThat(bucket(acme, 1.0)).isZero();
        assertThat(bucket(acme, 2.0)).isEqualTo(1);
        assertThat(freshness("umbrella").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(200);
    }

    @Test
    void aReplayedOrOlderVersionRecordsNothing() {
        indexedByTheIndexer("acme", "doc-1", 3);

        pipe(event("acme", "doc-1", 3, NOW.minusSeconds(1)));
        pipe(event("acme", "doc-1", 3, NOW.minusSeconds(60)));
        pipe(event("acme", "doc-1", 2, NOW.minusSeconds(90)));

        assertThat(freshness("acme").count()).isEqualTo(1);
        assertThat(freshness("acme").totalTime(TimeUnit.SECONDS)).isEqualTo(1);
    }

    private Timer freshness(String tenant) {
        Timer timer = meters.find(Freshness.METER).tag("tenant", tenant).timer();
        assertThat(timer).as("freshness of " + tenant).isNotNull();
        return timer;
    }

    private static double bucket(Timer timer, double seconds) {
        for (CountAtBucket bucket : timer.takeSnapshot().histogramCounts()) {
            if (bucket.bucket(TimeUnit.SECONDS) == seconds) {
                return bucket.count();
            }
        }
        throw new AssertionError("no bucket at " + seconds + " s");
    }

    private void pipe(DocumentIndexed event) {
        indexed.pipeInput(event.key(), event);
    }

    private static void indexedByTheIndexer(String tenant, String documentId, long version) {
        database.dsl().insertInto(INDEXING_STATUS)
                .set(INDEXING_STATUS.TENANT_ID, tenant)
                .set(INDEXING_STATUS.DOCUMENT_ID, documentId)
                .set(INDEXING_STATUS.ACCEPTED_VERSION, version)
                .set(INDEXING_STATUS.INDEXED_VERSION, version)
                .set(INDEXING_STATUS.STATE, "indexed")
                .execute();
    }

    private static DocumentIndexed event(String tenant, String id, long version, Instant acceptedAt) {
        return new DocumentIndexed(tenant, id, version, List.of("hash-1"), 1, false, "all-minilm-l6-v2-q",
                acceptedAt, NOW.minusMillis(50));
    }
}
