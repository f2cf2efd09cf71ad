package io.docstream.query.admin.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.platform.tenancy.ApiKeys;
import io.docstream.platform.tenancy.Scope;
import io.docstream.query.QueryApiTestSupport;
import io.docstream.schemas.events.AuditEvent;
import io.docstream.schemas.topics.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Key management through the query API against its real PostgreSQL and Kafka: a key created by an admin works
 * for its scopes only, is listed without its secret, is audited, and stops working once revoked (within the
 * API key cache's TTL, 10 s by default); one tenant's admin can neither see nor revoke another tenant's keys.
 */
class KeysIntegrationTests extends QueryApiTestSupport {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void auditTopic() throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString()))) {
            admin.createTopics(List.of(new NewTopic(Topics.AUDIT.name(), 1, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void aCreatedKeyWorksForItsScopesOnlyIsListedWithoutItsSecretAndStopsWorkingOnceRevoked() throws Exception {
        String adminKey = createKey("keys-a", Scope.ADMIN);
        UUID adminId = new ApiKeys(DATABASE.dsl()).authenticate(adminKey).orElseThrow().keyId();
        Instant before = Instant.now();

        HttpResponse<String> created = send("POST", "/api/v1/admin/keys", adminKey,
                "{\"name\": \"ci pipeline\", \"scopes\": [\"search\"]}");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode key = json(created);
        String plainKey = key.get("key").asString();
        String id = key.get("id").asString();
        assertThat(plainKey).matches("ds_[A-Za-z0-9_-]{43}");
        assertThat(key.get("name").asString()).isEqualTo("ci pipeline");
        assertThat(key.get("scopes").toString()).isEqualTo("[\"search\"]");
        assertThat(key.get("prefix").asString()).isEqualTo(plainKey.substring(0, 11));
        assertThat(Instant.parse(key.get("createdAt").asString())).isBetween(before.minusSeconds(5), Instant.now());
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/admin/keys/" + id);

        assertThat(get("/api/v1/search?q=anything", plainKey).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/audit", plainKey).statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/admin/keys", plainKey).statusCode()).isEqualTo(403);

        HttpResponse<String> listed = get("/api/v1/admin/keys", adminKey);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).doesNotContain(plainKey).doesNotContain("\"key\"").doesNotContain("hash");
        JsonNode listedKey = keyWithId(json(listed), id);
        assertThat(listedKey.get("name").asString()).isEqualTo("ci pipeline");
        assertThat(listedKey.get("revokedAt").isNull()).isTrue();

        assertThat(send("DELETE", "/api/v1/admin/keys/" + id, adminKey, null).statusCode()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> get("/api/v1/search?q=anything", plainKey).statusCode() == 401);
        assertThat(keyWithId(json(get("/api/v1/admin/keys", adminKey)), id).get("revokedAt").isString()).isTrue();
        assertThat(send("DELETE", "/api/v1/admin/keys/" + id, adminKey, null).statusCode()).isEqualTo(404);

        List<AuditEvent> audited = auditEventsAbout("key:keys-a/" + id);
        assertThat(audited).extracting(AuditEvent::action).containsExactly("key.create", "key.revoke");
        assertThat(audited).allSatisfy(event -> {
            assertThat(event.tenant()).isEqualTo("keys-a");
            assertThat(event.actor()).isEqualTo("key:" + adminId);
            assertThat(event.outcome()).isEqualTo("succeeded");
        });
    }

    @Test
    void oneTenantsAdminCanNeitherSeeNorRevokeAnotherTenantsKeys() throws Exception {
        String adminA = createKey("keys-tenant-a", Scope.ADMIN);
        String adminB = createKey("keys-tenant-b", Scope.ADMIN);
        JsonNode keyOfB = json(send("POST", "/api/v1/admin/keys", adminB, "{\"name\": \"b\", \"scopes\": [\"search\"]}"));
        String idOfB = keyOfB.get("id").asString();

        JsonNode listOfA = json(get("/api/v1/admin/keys", adminA));
        assertThat(listOfA.get("keys")).isNotEmpty();
        assertThat(listOfA.toString()).doesNotContain(idOfB);

        HttpResponse<String> revokeOfB = send("DELETE", "/api/v1/admin/keys/" + idOfB, adminA, null);
        HttpResponse<String> revokeOfNothing = send("DELETE", "/api/v1/admin/keys/" + UUID.randomUUID(), adminA, null);
        assertThat(revokeOfB.statusCode()).isEqualTo(404);
        assertThat(revokeOfNothing.statusCode()).isEqualTo(404);
        assertThat(json(revokeOfB).get("type")).isEqualTo(json(revokeOfNothing).get("type"));
        assertThat(json(revokeOfB).get("detail").asString().replace(idOfB, "ID"))
                .isEqualTo(json(revokeOfNothing).get("detail").asString().replaceAll("[0-9a-f-]{36}", "ID"));

        assertThat(keyWithId(json(get("/api/v1/admin/keys", adminB)), idOfB).get("revokedAt").isNull()).isTrue();
        assertThat(get("/api/v1/search?q=anything", keyOfB.get("key").asString()).statusCode()).isEqualTo(200);
    }

    @Test
    void badKeyRequestsAreInvalidRequestProblems() throws Exception {
        String admin = createKey("keys-bad-input", Scope.ADMIN);
        Map<String, String> bodies = Map.of(
                "unknown scope", "{\"name\": \"n\", \"scopes\": [\"superuser\"]}",
                "no scopes", "{\"name\": \"n\", \"scopes\": []}",
                "scopes not a list", "{\"name\": \"n\", \"scopes\": \"search\"}",
                "blank name", "{\"name\": \"  \", \"scopes\": [\"search\"]}",
                "too long name", "{\"name\": \"" + "n".repeat(201) + "\", \"scopes\": [\"search\"]}",
                "control characters", "{\"name\": \"a\\u0000b\", \"scopes\": [\"search\"]}",
                "unknown field", "{\"name\": \"n\", \"scopes\": [\"search\"], \"tenant\": \"other\"}",
                "not an object", "[\"search\"]");
        bodies.forEach((why, body) -> {
            HttpResponse<String> response = sendUnchecked("POST", "/api/v1/admin/keys", admin, body);
            assertThat(response.statusCode()).as(why + ": " + response.body()).isEqualTo(400);
            assertThat(json(response).get("type").asString()).as(why)
                    .isEqualTo("https://docstream.io/problems/invalid-request");
        });
        HttpResponse<String> broken = send("POST", "/api/v1/admin/keys", admin, "{\"name\": ");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(json(broken).get("type").asString()).isEqualTo("https://docstream.io/problems/malformed-json");
        assertThat(send("DELETE", "/api/v1/admin/keys/not-a-uuid", admin, null).statusCode()).isEqualTo(400);
        assertThat(json(get("/api/v1/admin/keys", admin)).get("keys")).hasSize(1);
        assertThat(send("POST", "/api/v1/admin/keys", createKey("keys-bad-input", Scope.SEARCH, Scope.INGEST),
                "{\"name\": \"n\", \"scopes\": [\"admin\"]}").statusCode()).isEqualTo(403);
    }

    private static JsonNode keyWithId(JsonNode list, String id) {
        return StreamSupport.stream(list.get("keys").spliterator(), false)
                .filter(key -> key.get("id").asString().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no key " + id + " in " + list));
    }

    private HttpResponse<String> sendUnchecked(String method, String path, String key, String body) {
        try {
            return send(method, path, key, body);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The audit events about {@code resource}, oldest first, read up to the topic's end. */
    private static List<AuditEvent> auditEventsAbout(String resource) {
        List<AuditEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, AuditEvent> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString()),
                Topics.AUDIT.keySerde().deserializer(), Topics.AUDIT.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.AUDIT.name(), Duration.ofSeconds(10))
                    .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (record.value().resource().equals(resource)) {
                        events.add(record.value());
                    }
                });
            }
        }
        return events;
    }
}
