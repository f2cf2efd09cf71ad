package io.docstream.query;

import static io.docstream.schemas.db.Tables.DOCUMENTS;
import static org.awaitility.Awaitility.await;

import io.docstream.cache.CacheKeys;
import io.docstream.cache.ChangeLog;
import io.docstream.cache.TenantChanges;
import io.docstream.query.cache.QueryCaches;
import io.docstream.platform.redis.Redis;
import io.docstream.embedding.Embedder;
import io.docstream.platform.redis.TestRedis;
import io.docstream.platform.tenancy.ApiKeys;
import io.docstream.platform.tenancy.Scope;
import io.docstream.platform.testing.ServiceArguments;
import io.docstream.platform.testing.TestDatabase;
import io.docstream.platform.testing.TestKafka;
import io.docstream.schemas.topics.Topics;
import io.docstream.search.IndexWrite;
import io.docstream.search.IndexedChunk;
import io.docstream.search.SearchIndex;
import io.docstream.search.chunking.Chunk;
import io.docstream.search.chunking.Chunker;
import io.docstream.schemas.events.CacheInvalidated;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.core.ConditionTimeoutException;
import org.jooq.JSONB;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The query API on a random port with the real ONNX embedder, a real Lucene index in a temporary
 * directory and a real PostgreSQL. Documents are seeded the way the indexer writes them: chunked,
 * embedded and written through {@link SearchIndex}, and upserted into {@code documents} with jOOQ; then the
 * tenant's cache generation is moved and the document's cache entry deleted, as the invalidator does. A real
 * Redis and a real Kafka broker (for the invalidation stream) run beside it.
 */
@SpringBootTest(classes = { QueryApiApplication.class, CountingSearchIndex.Decorate.class }, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=query-api")
public abstract class QueryApiTestSupport {

    protected static final JsonMapper JSON = JsonMapper.builder().build();
    protected static final TestDatabase DATABASE = TestDatabase.shared();
    protected static final TestRedis REDIS = TestRedis.start();
    protected static final EmbeddedKafkaKraftBroker KAFKA = startKafka();
    private static final Path INDEX_DIRECTORY = temporaryDirectory();
    /** The one tenant whose query events keep only the query's hash. */
    protected static final String HASH_ONLY_TENANT = "private-queries";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    protected int port;

    @Autowired
    protected SearchIndex searchIndex;

    @Autowired
    protected Embedder embedder;


    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        ServiceArguments.create().database(DATABASE).redis(REDIS.uri()).kafka(KAFKA.getBrokersAsString())
                .set("docstream.index.lucene.path", INDEX_DIRECTORY)
                .set("docstream.query-events.tenants." + HASH_ONLY_TENANT + ".query-text", "hash-only")
                .set("docstream.cache.consistency-wait", "2s")
                .addTo(registry);
    }

    private static EmbeddedKafkaKraftBroker startKafka() {
        EmbeddedKafkaKraftBroker kafka = TestKafka.start(Topics.INVALIDATIONS.name(), Topics.QUERIES.name());
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::destroy));
        return kafka;
    }

    /**
     * What the invalidator does after a change it does not describe: move the tenant's generation, delete the
     * document's entry, record the change, announce it; returns once the query API applied it.
     */
    protected static void invalidate(String tenant, String id) {
        change(tenant, id, null, 0);
    }

    /**
     * Records a change as the invalidator does (evict, move the generation, append to the tenant's history, all in
     * one script) and announces it on the pub/sub channel; returns once the query API applied it (when it follows
     * the tenant from the stream; if it missed the announcement, the event goes on the topic too).
     */
    protected static CacheInvalidated change(String tenant, String id, String describedId, long version) {
        List<String> keys = List.of(CacheKeys.document(tenant, id));
        CacheInvalidated event;
        try (Redis redis = REDIS.serviceClient()) {
            TenantChanges.Change change = new ChangeLog(redis).record(tenant, describedId, keys, Instant.now(),
                    Duration.ofMinutes(5), 10_000);
            event = new CacheInvalidated(tenant, keys, change.generation(), change.previous(), describedId, version,
                    "document.indexed", Instant.now(), Instant.now());
            redis.publish(CacheKeys.INVALIDATIONS_CHANNEL,
                    Topics.INVALIDATIONS.valueSerde().serializer().serialize(Topics.INVALIDATIONS.name(), event));
        }
        QueryCaches applying = caches;
        if (applying != null && applying.followed(tenant)) {
            try {
                await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(1))
                        .until(() -> applying.knownGeneration(tenant) >= event.tenantGeneration());
            } catch (ConditionTimeoutException missed) {
                // The announcement was missed (the instance had not followed the tenant yet): the topic brings it.
                try {
                    publishInvalidation(event);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> applying.knownGeneration(tenant) >= event.tenantGeneration());
            }
        }
        return event;
    }

    private static volatile QueryCaches caches;

    @Autowired
    void rememberCaches(QueryCaches queryCaches) {
        caches = queryCaches;
    }

    /** Publishes an invalidation on the stream, as the invalidator does. */
    protected static void publishInvalidation(CacheInvalidated event) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString());
        try (KafkaProducer<String, CacheInvalidated> producer = new KafkaProducer<>(config, new StringSerializer(),
                Topics.INVALIDATIONS.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.INVALIDATIONS.name(), event.tenant(), event)).get(30,
                    TimeUnit.SECONDS);
        }
    }

    /** SHA-256 in lower-case hex, as query events and analytics name a query. */
    protected static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static String createKey(String tenant, Scope... scopes) {
        return new ApiKeys(DATABASE.dsl()).create(tenant, "tests", Set.of(scopes)).plainKey();
    }

    /** Writes a document as the indexer would: chunks with vectors into the index, the row into PostgreSQL. */
    protected void seed(String tenant, String id, String title, String body, Map<String, String> metadata,
            long version) {
        DATABASE.ensureTenant(tenant);
        index(tenant, id, title, body, metadata, version);
        DATABASE.dsl().insertInto(DOCUMENTS)
                .set(DOCUMENTS.TENANT_ID, tenant)
                .set(DOCUMENTS.DOCUMENT_ID, id)
                .set(DOCUMENTS.VERSION, version)
                .set(DOCUMENTS.TITLE, title)
                .set(DOCUMENTS.BODY, body)
                .set(DOCUMENTS.METADATA, JSONB.valueOf(JSON.writeValueAsString(metadata)))
                .set(DOCUMENTS.MODEL_ID, embedder.modelId())
                .onConflict(DOCUMENTS.TENANT_ID, DOCUMENTS.DOCUMENT_ID)
                .doNothing()
                .execute();
        invalidate(tenant, id);
    }

    /**
     * Replaces a seeded document with a newer version as the indexer would, then records the change as the
     * invalidator does: evicted, the tenant's generation moved, the change in the tenant's history.
     */
    protected void update(String tenant, String id, String title, String body, long version) {
        writeWithoutInvalidating(tenant, id, title, body, version);
        recordChange(tenant, id);
    }

    /** What the indexer writes for a newer version (index and PostgreSQL), before the invalidator ran. */
    protected void writeWithoutInvalidating(String tenant, String id, String title, String body, long version) {
        index(tenant, id, title, body, Map.of(), version);
        DATABASE.dsl().update(DOCUMENTS)
                .set(DOCUMENTS.TITLE, title)
                .set(DOCUMENTS.BODY, body)
                .set(DOCUMENTS.VERSION, version)
                .where(DOCUMENTS.TENANT_ID.eq(tenant), DOCUMENTS.DOCUMENT_ID.eq(id))
                .execute();
    }

    /** What the invalidator does after a change it can describe: evict, move the generation, record the change. */
    protected static void recordChange(String tenant, String id) {
        change(tenant, id, id, 0);
    }

    /** Chunks and embeds as the indexer does with its defaults and writes the document into the index. */
    private void index(String tenant, String id, String title, String body, Map<String, String> metadata,
            long version) {
        List<Chunk> chunks = Chunker.sizedFor(embedder, 200, 32).chunk(body);
        List<float[]> vectors = embedder.embedDocuments(chunks.stream().map(Chunk::text).toList());
        List<IndexedChunk> indexed = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            indexed.add(new IndexedChunk(chunks.get(i).index(), chunks.get(i).text(), chunks.get(i).hash(),
                    vectors.get(i)));
        }
        searchIndex.write(List.of(new IndexWrite.Replace(tenant, id, version, title, body, metadata, embedder.modelId(),
                indexed)));
    }

    /**
     * Deletes a document as the indexer would (gone from the index, marked deleted in PostgreSQL) and records the
     * change as the invalidator does.
     */
    protected void delete(String tenant, String id, long version) {
        searchIndex.write(List.of(new IndexWrite.Remove(tenant, id, version)));
        DATABASE.dsl().update(DOCUMENTS)
                .set(DOCUMENTS.DELETED, true)
                .set(DOCUMENTS.VERSION, version)
                .where(DOCUMENTS.TENANT_ID.eq(tenant), DOCUMENTS.DOCUMENT_ID.eq(id))
                .execute();
        recordChange(tenant, id);
    }

    protected HttpResponse<String> get(String pathAndQuery, String key) throws IOException, InterruptedException {
        return get(pathAndQuery, key, new String[0]);
    }

    /** A GET with more request headers, given as name, value, name, value... */
    protected HttpResponse<String> get(String pathAndQuery, String key, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request with a JSON body (none when {@code body} is null) and the key. */
    protected HttpResponse<String> send(String method, String path, String key, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    protected static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Path temporaryDirectory() {
        try {
            Path directory = Files.createTempDirectory("query-api-index");
            directory.toFile().deleteOnExit();
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
