package io.docstream.ingest.documents;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.tenancy.ApiKeys;
import io.docstream.ingest.IngestTestSupport;
import io.docstream.schemas.events.AuditEvent;
import io.docstream.schemas.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Every accepted document change is an audit event on the audit topic, by the calling key, with the request id. */
class DocumentAuditIntegrationTests extends IngestTestSupport {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void eachAcceptedDocumentIsAuditedByTheKeyWithTheRequestId() throws Exception {
        String keyActor = "key:" + new ApiKeys(DATABASE.dsl()).authenticate(INGEST_KEY).orElseThrow().keyId();
        String single = "audited-" + UUID.randomUUID();
        String first = "audited-" + UUID.randomUUID();
        String second = "audited-" + UUID.randomUUID();
        Instant before = Instant.now();

        assertThat(call("POST", "/api/v1/documents", "r-single-" + single.substring(8, 16),
                "{\"id\": \"%s\", \"body\": \"b\", \"version\": 4}".formatted(single)).statusCode()).isEqualTo(202);
        assertThat(call("POST", "/api/v1/documents:batch", "r-batch", """
                [{"id": "%s", "body": "one", "version": 1}, {"id": "%s", "body": "two", "version": 2}]
                """.formatted(first, second)).statusCode()).isEqualTo(202);
        assertThat(call("DELETE", "/api/v1/documents/" + single + "?version=5", "r-delete", null).statusCode())
                .isEqualTo(202);

        List<AuditEvent> events = auditEventsOf(List.of(single, first, second), 4);
        assertThat(events).extracting(AuditEvent::action, AuditEvent::resource, AuditEvent::requestId)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("document.upsert", "document:acme/" + single + "@4",
                                "r-single-" + single.substring(8, 16)),
                        org.assertj.core.groups.Tuple.tuple("document.upsert", "document:acme/" + first + "@1", "r-batch"),
                        org.assertj.core.groups.Tuple.tuple("document.upsert", "document:acme/" + second + "@2", "r-batch"),
                        org.assertj.core.groups.Tuple.tuple("document.delete", "document:acme/" + single + "@5",
                                "r-delete"));
        assertThat(events).allSatisfy(event -> {
            assertThat(event.tenant()).isEqualTo(TENANT);
            assertThat(event.actor()).isEqualTo(keyActor);
            assertThat(event.outcome()).isEqualTo("accepted");
            assertThat(event.time()).isBetween(before, Instant.now());
        });
        assertThat(events).extracting(AuditEvent::id).doesNotHaveDuplicates();
    }

    @Test
    void refusedRequestsAreNotAuditedAsAccepted() throws Exception {
        String id = "refused-" + UUID.randomUUID();

        assertThat(call("POST", "/api/v1/documents", "r-refused", "{\"id\": \"%s\"}".formatted(id)).statusCode())
                .isEqualTo(400);

        assertThat(auditEventsOf(List.of(id), 0)).isEmpty();
    }

    private HttpResponse<String> call(String method, String path, String requestId, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + INGEST_KEY)
                .header("X-Request-Id", requestId)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The audit events naming any of the documents, read until {@code expected} were seen or the topic's end. */
    private static List<AuditEvent> auditEventsOf(List<String> documentIds, int expected) {
        List<AuditEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, AuditEvent> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                Topics.AUDIT.keySerde().deserializer(), Topics.AUDIT.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.AUDIT.name(), Duration.ofSeconds(10))
                    .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && (events.size() < expected
                    || partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)))) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (documentIds.stream().anyMatch(id -> record.value().resource().contains("/" + id + "@"))) {
                        assertThat(record.key()).isEqualTo(record.value().tenant());
                        events.add(record.value());
                    }
                });
            }
        }
        return events;
    }
}
