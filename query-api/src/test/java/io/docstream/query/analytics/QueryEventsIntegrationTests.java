package io.docstream.query.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.tenancy.Scope;
import io.docstream.query.QueryApiTestSupport;
import io.docstream.schemas.events.QueryExecuted;
import io.docstream.schemas.topics.Topics;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * Every search, answered from any layer, is published on {@code docstream.queries.v1} as the user asked it, keyed
 * by tenant, with the query text or, for a hash-only tenant, without it. Read back with a real consumer.
 */
class QueryEventsIntegrationTests extends QueryApiTestSupport {

    private static final String TENANT = "events-acme";
    private static final String KEY = createKey(TENANT, Scope.SEARCH);
    private static final String PRIVATE_KEY = createKey(HASH_ONLY_TENANT, Scope.SEARCH);

    @Test
    void everySearchHitOrMissIsPublishedWithWhatWasAskedAndAnswered() throws Exception {
        seed(TENANT, "tides", "Tides", "The moon's gravity raises two tidal bulges that sweep around the earth.",
                Map.of("lang", "en"), 2);
        String words = "lunar tides " + UUID.randomUUID().toString().substring(0, 8);

        HttpResponse<String> first = get("/api/v1/search?k=5&mode=hybrid&fusion=rrf&filter=lang:en&q="
                + encode("  Lunar   TIDES " + words.substring(12)), KEY);
        HttpResponse<String> second = get("/api/v1/search?k=5&mode=hybrid&fusion=rrf&filter=lang:en&q="
                + encode(words), KEY);
        assertThat(json(first).path("cache").asString()).isEqualTo("miss");
        assertThat(json(second).path("cache").asString()).isEqualTo("l1");

        List<QueryExecuted> events = awaitEvents(TENANT, 2, event -> words.equals(event.normalizedQuery()));
        QueryExecuted miss = events.get(0);
        assertThat(miss.tenant()).isEqualTo(TENANT);
        assertThat(miss.id().version()).as("a random UUID").isEqualTo(4);
        assertThat(miss.id().variant()).isEqualTo(2);
        assertThat(miss.normalizedQueryHash()).hasSize(64).isEqualTo(events.get(1).normalizedQueryHash());
        assertThat(miss.mode()).isEqualTo("hybrid");
        assertThat(miss.fusion()).isEqualTo("rrf");
        assertThat(miss.k()).isEqualTo(5);
        assertThat(miss.offset()).isZero();
        assertThat(miss.filters()).isEqualTo(Map.of("lang", "en"));
        assertThat(miss.resultIds()).containsExactly("tides");
        assertThat(miss.resultCount()).isEqualTo(1);
        assertThat(miss.degraded()).isEmpty();
        assertThat(miss.keyId()).isNotBlank();
        assertThat(miss.requestId()).isEqualTo(first.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(miss.latencyMicros()).isPositive();
        assertThat(miss.executedAt()).isBefore(Instant.now().plusSeconds(1));
        assertThat(events).extracting(QueryExecuted::cacheLayer).containsExactly("miss", "l1");
    }

    @Test
    void aSearchThatFindsNothingIsPublishedAsFoundNothing() throws Exception {
        String nonsense = "zqxv " + UUID.randomUUID().toString().substring(0, 8);
        get("/api/v1/search?mode=keyword&q=" + encode(nonsense), KEY);

        QueryExecuted event = awaitEvents(TENANT, 1, e -> nonsense.equals(e.normalizedQuery())).getFirst();
        assertThat(event.foundNothing()).isTrue();
        assertThat(event.fusion()).as("only hybrid searches fuse").isNull();
    }

    @Test
    void aHashOnlyTenantsEventsCarryNoQueryText() throws Exception {
        String secret = "salary review " + UUID.randomUUID().toString().substring(0, 8);
        get("/api/v1/search?mode=keyword&q=" + encode(secret), PRIVATE_KEY);
        String hash = sha256(secret);

        QueryExecuted event = awaitEvents(HASH_ONLY_TENANT, 1,
                e -> e.normalizedQueryHash().equals(hash))
                .getFirst();
        assertThat(event.normalizedQuery()).isNull();
    }

    @Test
    void aRefusedSearchIsNotAnAnsweredOne() throws Exception {
        String tag = "refused" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(get("/api/v1/search?k=0&q=" + tag, KEY).statusCode()).isEqualTo(400);
        get("/api/v1/search?mode=keyword&q=marker" + tag, KEY);

        List<QueryExecuted> events = awaitEvents(TENANT, 1, e -> e.normalizedQuery() != null
                && e.normalizedQuery().endsWith(tag));
        assertThat(events).extracting(QueryExecuted::normalizedQuery).containsExactly("marker" + tag);
    }

    /** Reads the queries topic from the start until {@code count} of the tenant's events match, in topic order. */
    private static List<QueryExecuted> awaitEvents(String tenant, int count, Predicate<QueryExecuted> matching) {
        Map<String, Object> settings = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "query-events-tests-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<QueryExecuted> found = new ArrayList<>();
        try (KafkaConsumer<String, QueryExecuted> consumer = new KafkaConsumer<>(settings,
                Topics.QUERIES.keySerde().deserializer(), Topics.QUERIES.valueSerde().deserializer())) {
            consumer.subscribe(List.of(Topics.QUERIES.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, QueryExecuted> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null && matching.test(record.value())) {
                        assertThat(record.key()).as("events are keyed by tenant").isEqualTo(tenant);
                        found.add(record.value());
                    }
                }
                if (found.size() >= count) {
                    // A little longer, so an event published twice would be seen.
                    consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                        if (record.value() != null && matching.test(record.value())) {
                            found.add(record.value());
                        }
                    });
                    assertThat(found).hasSize(count);
                    return found;
                }
            }
        }
        throw new AssertionError("saw " + found.size() + " of " + count + " query events of " + tenant);
    }

}
