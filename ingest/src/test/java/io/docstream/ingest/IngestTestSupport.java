package io.docstream.ingest;

import io.docstream.platform.tenancy.ApiKeys;
import io.docstream.platform.tenancy.Scope;
import io.docstream.platform.testing.ServiceArguments;
import io.docstream.platform.testing.TestDatabase;
import io.docstream.platform.testing.TestKafka;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.topics.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ingest app on a random port against a real KRaft broker and a real PostgreSQL, with keys for
 * tenant {@code acme}. Subclasses share one application context.
 */
@SpringBootTest(classes = IngestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=ingest", "logging.level.org.apache.kafka=warn"})
public abstract class IngestTestSupport {

    protected static final String TENANT = "acme";
    protected static final JsonMapper JSON = JsonMapper.builder().build();
    protected static final EmbeddedKafkaKraftBroker KAFKA = startKafka();
    protected static final TestDatabase DATABASE = TestDatabase.shared();

    protected static final String INGEST_KEY;
    protected static final String SEARCH_KEY;
    protected static final String OTHER_TENANT_KEY;

    static {
        ApiKeys keys = new ApiKeys(DATABASE.dsl());
        INGEST_KEY = keys.create(TENANT, "ingest-tests", Set.of(Scope.INGEST)).plainKey();
        SEARCH_KEY = keys.create(TENANT, "search-tests", Set.of(Scope.SEARCH)).plainKey();
        OTHER_TENANT_KEY = keys.create("umbrella", "other-tests", Set.of(Scope.INGEST, Scope.SEARCH)).plainKey();
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        ServiceArguments.create().database(DATABASE).kafka(KAFKA.getBrokersAsString()).addTo(registry);
    }

    private static EmbeddedKafkaKraftBroker startKafka() {
        EmbeddedKafkaKraftBroker broker = TestKafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "embedded-kafka-stop"));
        return broker;
    }

    protected HttpResponse<String> send(String method, String path, String key, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> postJson(String path, String body) throws IOException, InterruptedException {
        return send("POST", path, INGEST_KEY, "application/json", body);
    }

    protected static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** Every command on the documents topic so far, read from the beginning up to the current end. */
    protected static List<ConsumerRecord<DocumentKey, DocumentCommand>> documentCommands() {
        return withConsumer(consumer -> {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<DocumentKey, DocumentCommand>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read the documents topic to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        });
    }

    /** The commands on the documents topic for one document, in topic order. */
    protected static List<DocumentCommand> commandsFor(String tenant, String documentId) {
        DocumentKey key = new DocumentKey(tenant, documentId);
        return documentCommands().stream().filter(record -> record.key().equals(key))
                .map(ConsumerRecord::value).toList();
    }

    /** How many records the documents topic holds. */
    protected static long documentTopicSize() {
        return withConsumer(consumer -> consumer.endOffsets(partitions(consumer)).values().stream()
                .mapToLong(Long::longValue).sum());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(Topics.DOCUMENTS.name(), Duration.ofSeconds(10));
        return infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
    }

    private static <T> T withConsumer(Function<KafkaConsumer<DocumentKey, DocumentCommand>, T> action) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<DocumentKey, DocumentCommand> consumer = new KafkaConsumer<>(config,
                Topics.DOCUMENTS.keySerde().deserializer(), Topics.DOCUMENTS.valueSerde().deserializer())) {
            return action.apply(consumer);
        }
    }
}
