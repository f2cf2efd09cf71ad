package io.docstream.query.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.schemas.events.QueryExecuted;
import io.docstream.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/**
 * With no broker to send to, searches still publish at memory speed: the buffer fills, the overflow is dropped and
 * counted, and what the sender could not deliver is counted too; every event is accounted for.
 */
class QueryEventsTests {

    private static final int EVENTS = 3_000;

    @Test
    void withoutABrokerPublishingNeverWaitsAndEveryLostEventIsCounted() throws Exception {
        MeterRegistry meters = new SimpleMeterRegistry();
        try (QueryEvents events = new QueryEvents(producerToNowhere(), 5, meters)) {
            long started = System.nanoTime();
            for (int i = 0; i < EVENTS; i++) {
                events.publish(event(i));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(took).as("%d publishes while every send waits up to 1 s for the broker", EVENTS)
                    .isLessThan(Duration.ofSeconds(1));
            assertThat(count(meters, "dropped", "buffer-full")).as("the full buffer drops").isPositive();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(count(meters, "dropped", "buffer-full") + count(meters, "dropped", "send-failed"))
                            .as("every event is dropped and counted as such").isEqualTo(EVENTS));
            assertThat(count(meters, "published", "none")).isZero();
        }
    }

    @Test
    void afterCloseAPublishIsDroppedAndCounted() throws Exception {
        MeterRegistry meters = new SimpleMeterRegistry();
        QueryEvents events = new QueryEvents(producerToNowhere(), 10, meters);
        events.close();

        events.publish(event(1));

        assertThat(count(meters, "dropped", "buffer-full")).isEqualTo(1);
        assertThat(events.waiting()).isZero();
    }

    /** A real producer whose broker address is a port nobody listens on, with a 1 s wait for metadata. */
    private static KafkaProducer<String, QueryExecuted> producerToNowhere() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, Object> settings = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + port,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 1_500,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 500,
                ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(settings, Topics.QUERIES.keySerde().serializer(),
                Topics.QUERIES.valueSerde().serializer());
    }

    private static QueryExecuted event(int i) {
        return new QueryExecuted(UUID.randomUUID(), "acme", "h" + i, "query " + i, "hybrid", "weighted", 10, 0,
                Map.of(), 1_000, "miss", List.of("a"), List.of(), "key", "req", null, Instant.now());
    }

    private static double count(MeterRegistry meters, String outcome, String reason) {
        return meters.get("docstream.query.events").tag("outcome", outcome).tag("reason", reason).counter().count();
    }
}
