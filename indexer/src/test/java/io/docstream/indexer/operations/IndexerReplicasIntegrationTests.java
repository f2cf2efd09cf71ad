package io.docstream.indexer.operations;

import static io.docstream.schemas.db.Tables.INDEXER_OPERATIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.indexer.IndexerApplication;
import io.docstream.indexer.IndexerArguments;
import io.docstream.platform.tenancy.ApiKeys;
import io.docstream.platform.tenancy.Scope;
import io.docstream.platform.testing.TestDatabase;
import io.docstream.platform.testing.TestKafka;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.events.UpsertDocument;
import io.docstream.schemas.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two indexer instances over one PostgreSQL and one broker, each with its own Lucene directory: whichever
 * instance answers, status is the group's replay and reindex, a second run is refused, and a finish asked of the
 * instance that does not run the reindex stops it on the one that does.
 */
class IndexerReplicasIntegrationTests {

    private static final TestDatabase database = TestDatabase.shared();
    private static final String TENANT = "replicas";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path temp;

    private static EmbeddedKafkaKraftBroker kafka;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;
    private static String adminKey;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        kafka = TestKafka.start();
        database.ensureTenant(TENANT);
        database.dsl().deleteFrom(INDEXER_OPERATIONS).execute();
        adminKey = new ApiKeys(database.dsl()).create(TENANT, "replicas", EnumSet.of(Scope.ADMIN)).plainKey();
        try (KafkaProducer<DocumentKey, DocumentCommand> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString(), ProducerConfig.ACKS_CONFIG, "all"),
                Topics.DOCUMENTS.keySerde().serializer(), Topics.DOCUMENTS.valueSerde().serializer())) {
            for (int i = 0; i < 5; i++) {
                UpsertDocument command = new UpsertDocument(TENANT, "doc-" + i, 1, "Bird " + i,
                        "Kingfishers and herons " + i + " fish in rivers.", Map.of(), Instant.now());
                producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), command.key(), command)).get();
            }
        }
        first = replica("first");
        second = replica("second");
    }

    private static ConfigurableApplicationContext replica(String name) {
        return IndexerApplication.builder().run(IndexerArguments.under(temp.resolve(name), database,
                kafka.getBrokersAsString()).set("docstream.replay.check-interval", "200ms").commandLine());
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext replica : new ConfigurableApplicationContext[] { first, second }) {
            if (replica != null) {
                replica.close();
            }
        }
        if (kafka != null) {
            kafka.destroy();
        }
    }

    @Test
    void everyReplicaAnswersTheGroupsReindexAndAFinishReachesTheReplicaRunningIt() throws Exception {
        HttpResponse<String> started = send(first, "POST", "/api/v1/admin/reindex",
                "{\"build\": \"7\", \"autoSwitch\": false}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String target = json(started).path("target").asString();
        assertThat(target).endsWith("__7");

        JsonNode seenBySecond = json(send(second, "GET", "/api/v1/admin/reindex", null));
        assertThat(seenBySecond.path("target").asString()).isEqualTo(target);
        assertThat(seenBySecond.path("state").asString()).isIn("building", "caught-up");
        HttpResponse<String> another = send(second, "POST", "/api/v1/admin/reindex", "{\"build\": \"8\"}");
        assertThat(another.statusCode()).as("one reindex per group").isEqualTo(409);
        assertThat(json(another).path("detail").asString()).contains("another indexer instance");

        HttpResponse<String> finished = send(second, "POST", "/api/v1/admin/reindex/finish", null);
        assertThat(finished.statusCode()).as(finished.body()).isEqualTo(200);
        assertThat(json(finished).path("state").asString()).isEqualTo("finished");
        assertThat(json(send(first, "GET", "/api/v1/admin/reindex", null)).path("state").asString())
                .as("the replica that ran it stopped it").isEqualTo("finished");

        HttpResponse<String> restarted = send(second, "POST", "/api/v1/admin/reindex",
                "{\"build\": \"9\", \"autoSwitch\": false}");
        assertThat(restarted.statusCode()).as("the group is free again: " + restarted.body()).isEqualTo(202);
        assertThat(json(send(first, "GET", "/api/v1/admin/reindex", null)).path("target").asString())
                .endsWith("__9");
        HttpResponse<String> finishedOnFirst = send(first, "POST", "/api/v1/admin/reindex/finish", null);
        assertThat(json(finishedOnFirst).path("state").asString()).as(finishedOnFirst.body()).isEqualTo("finished");
        assertThat(json(send(second, "GET", "/api/v1/admin/reindex", null)).path("state").asString())
                .isEqualTo("finished");
    }

    @Test
    void everyReplicaAnswersTheGroupsReplay() throws Exception {
        StreamsBuilderFactoryBean secondStreams = second.getBean(StreamsBuilderFactoryBean.class);
        secondStreams.stop();
        try {
            HttpResponse<String> started = send(first, "POST", "/api/v1/admin/replay",
                    "{\"from\": \"earliest\", \"stopIndexer\": true}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            String startedAt = json(started).path("startedAt").asString();

            JsonNode seenBySecond = json(send(second, "GET", "/api/v1/admin/replay", null));
            assertThat(seenBySecond.path("startedAt").asString()).isEqualTo(startedAt);
            assertThat(seenBySecond.path("from").asString()).isEqualTo("earliest");
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() ->
                    json(send(second, "GET", "/api/v1/admin/replay", null)).path("state").asString().equals("done"));
            JsonNode done = json(send(second, "GET", "/api/v1/admin/replay", null));
            assertThat(done.path("startedAt").asString()).isEqualTo(startedAt);
            assertThat(done.path("records").asLong()).isEqualTo(json(send(first, "GET", "/api/v1/admin/replay",
                    null)).path("records").asLong());
        } finally {
            secondStreams.start();
        }
    }

    private HttpResponse<String> send(ConfigurableApplicationContext replica, String method, String path, String body)
            throws Exception {
        String port = replica.getEnvironment().getProperty("local.server.port");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + adminKey)
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }
}
