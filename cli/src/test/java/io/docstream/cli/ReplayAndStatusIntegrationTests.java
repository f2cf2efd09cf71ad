package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.cli.ApiClient.Answer;
import io.docstream.platform.tenancy.ApiKeys;
import io.docstream.platform.tenancy.Scope;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator's replay and status on the shared runtime, with a tenant of their own: a replay from the earliest
 * offset through the CLI (stopping the indexer) leaves the search index and PostgreSQL exactly as they were and
 * embeds nothing; a replay that would run beside the active indexer is refused; the status report counts the
 * tenant's documents alike in the index, PostgreSQL and the topic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedCacheRuntime.Resolver.class)
class ReplayAndStatusIntegrationTests {

    private static final String TENANT = "replay-ops";
    private static final int DOCUMENTS = 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern MISSES = Pattern.compile(
            "^docstream_indexer_embedding_cache_misses_total(?:\\{[^}]*})? ([0-9.eE+-]+)$", Pattern.MULTILINE);
    private static final Pattern HITS = Pattern.compile(
            "^docstream_indexer_embedding_cache_hits_total(?:\\{[^}]*})? ([0-9.eE+-]+)$", Pattern.MULTILINE);

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();
    private SharedCacheRuntime shared;
    private ApiClient client;
    private Path keyFile;
    private String indexerUrl;

    @BeforeAll
    void indexTheTenantsDocuments(SharedCacheRuntime runtime) throws Exception {
        shared = runtime;
        indexerUrl = "http://localhost:" + runtime.options().indexerPort();
        String key = createAdminKey();
        keyFile = runtime.dataDir().resolve(TENANT + "-api-key");
        Files.writeString(keyFile, key);
        client = new ApiClient(key);
        for (int i = 0; i < DOCUMENTS; i++) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("title", "Replay probe " + i);
            body.put("body", "Replay probe number " + i + " carries the token rptok" + i + ". It speaks of lighthouses"
                    + " and tides.\n\nA second paragraph about harbour " + i + " makes a second chunk likely.");
            body.put("metadata", Map.of("probe", Integer.toString(i)));
            Answer put = client.put(runtime.ingestUrl() + "/api/v1/documents/probe-" + i, body);
            assertThat(put.status()).as(put.body()).isEqualTo(202);
        }
        for (int i = 0; i < DOCUMENTS; i++) {
            awaitIndexed("probe-" + i);
        }
    }

    @Test
    void replayFromEarliestLeavesIndexAndDatabaseIdenticalAndEmbedsNothing() throws Exception {
        Snapshot before = snapshot(10);
        double missesBefore = meter(MISSES);
        double hitsBefore = meter(HITS);

        CliRun replay = cli("replay", "--from", "earliest", "--tenant", TENANT, "--stop-indexer",
                "--indexer-url", indexerUrl, "--api-key-file", keyFile.toString(), "--poll-interval", "PT0.2S");

        assertThat(replay.exitCode()).as(replay.output()).isZero();
        assertThat(replay.output()).contains("records").contains("docs/s").contains("Replay done");
        JsonNode status = getJson(indexerUrl + "/api/v1/admin/replay");
        assertThat(status.path("state").asString()).isEqualTo("done");
        assertThat(status.path("reapplied").asLong()).as("each of the tenant's documents applied again")
                .isEqualTo(DOCUMENTS);
        assertThat(status.path("embeddedChunks").asLong()).isZero();
        assertThat(status.path("lag").asLong()).isZero();
        assertThat(status.path("total").asLong()).isGreaterThanOrEqualTo(DOCUMENTS);
        for (int i = 0; i < DOCUMENTS; i++) {
            awaitIndexed("probe-" + i);
        }

        assertThat(meter(MISSES)).as("chunks embedded by the model during the replay").isEqualTo(missesBefore);
        assertThat(meter(HITS)).as("the replay went through the embedding cache").isGreaterThan(hitsBefore);
        Snapshot after = snapshot(11);
        assertThat(after.database()).isEqualTo(before.database());
        assertThat(after.index()).isEqualTo(before.index());
        assertThat(after.searchLayers()).as("answers after the replay come from the index, not a cache")
                .containsOnly("miss");
    }

    @Test
    void replayOfEveryTenantFromEarliestAlsoLeavesEverythingIdenticalAndEmbedsNothing() throws Exception {
        Snapshot before = snapshot(12);
        double missesBefore = meter(MISSES);

        CliRun replay = cli("replay", "--from", "earliest", "--stop-indexer",
                "--indexer-url", indexerUrl, "--api-key-file", keyFile.toString(), "--poll-interval", "PT0.2S");

        assertThat(replay.exitCode()).as(replay.output()).isZero();
        JsonNode status = getJson(indexerUrl + "/api/v1/admin/replay");
        assertThat(status.path("state").asString()).isEqualTo("done");
        assertThat(status.path("tenant").isNull() || status.path("tenant").isMissingNode()).isTrue();
        assertThat(status.path("reapplied").asLong()).as("every tenant's documents, this test's among them")
                .isGreaterThanOrEqualTo(DOCUMENTS);
        assertThat(status.path("skipped").asLong()).isZero();
        assertThat(status.path("embeddedChunks").asLong()).isZero();
        for (int i = 0; i < DOCUMENTS; i++) {
            awaitIndexed("probe-" + i);
        }

        assertThat(meter(MISSES)).as("chunks embedded by the model during the replay").isEqualTo(missesBefore);
        Snapshot after = snapshot(13);
        assertThat(after.database()).isEqualTo(before.database());
        assertThat(after.index()).isEqualTo(before.index());
    }

    @Test
    void refusesToReplayBesideTheRunningIndexer() throws Exception {
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(indexerUrl
                        + "/api/v1/admin/replay"))
                .header("Authorization", "Bearer " + Files.readString(keyFile).strip())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"from\":\"earliest\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(refused.body());
        assertThat(problem.path("type").asString()).isEqualTo("https://docstream.io/problems/indexer-active");
        assertThat(problem.path("members")).isNotEmpty();
        assertThat(problem.path("detail").asString()).contains("docstream-indexer").contains("stopIndexer");

        CliRun cli = cli("replay", "--from", "earliest", "--indexer-url", indexerUrl, "--api-key-file",
                keyFile.toString());
        assertThat(cli.exitCode()).isEqualTo(1);
    }

    @Test
    void statusCountsTheTenantsDocumentsAlikeInIndexDatabaseAndTopic() throws Exception {
        JsonNode status = getJson(shared.queryUrls().getFirst() + "/api/v1/admin/status");

        assertThat(status.path("tenant").asString()).isEqualTo(TENANT);
        JsonNode counts = status.path("counts");
        assertThat(List.of(counts.path("index").asLong(), counts.path("postgres").asLong(),
                counts.path("topic").asLong())).containsOnly((long) DOCUMENTS);
        assertThat(counts.path("consistent").asBoolean()).isTrue();
        assertThat(counts.path("explanations")).isEmpty();
        assertThat(status.path("documents").path("indexed").asLong()).isEqualTo(DOCUMENTS);
        assertThat(status.path("documents").path("pending").asLong()).isZero();
        assertThat(status.path("consumerGroups").findValuesAsString("group"))
                .contains("docstream-indexer", "docstream-invalidator");
        for (JsonNode group : status.path("consumerGroups")) {
            assertThat(group.path("recordsPerSecond").isNumber()).as("a rate even in an instance's first answer: "
                    + group).isTrue();
            assertThat(group.path("recordsPerSecond").asDouble()).isNotNegative();
        }
        assertThat(status.path("freshness").path("samples").asLong()).isGreaterThanOrEqualTo(DOCUMENTS);
        assertThat(status.path("freshness").path("p99Ms").asDouble())
                .isGreaterThanOrEqualTo(status.path("freshness").path("p50Ms").asDouble()).isPositive();
        assertThat(status.path("circuitBreakers").isArray()).isTrue();

        CliRun cli = cli("status", "--query-url", shared.queryUrls().getFirst(), "--api-key-file", keyFile.toString());
        assertThat(cli.exitCode()).as(cli.output()).isZero();
        assertThat(cli.output()).contains("Consumer groups", "RECORDS/S", "docstream-indexer", "Live documents",
                "all three agree", "Freshness", "Caches");
    }

    /** PostgreSQL rows and search answers of the tenant's documents, compared before and after a replay. */
    private record Snapshot(List<List<Object>> database, List<List<Object>> index, List<String> searchLayers) {
    }

    /** {@code k} differs between snapshots, so the second one cannot be answered from the search cache. */
    private Snapshot snapshot(int k) throws Exception {
        List<List<Object>> database;
        try (Connection connection = connect()) {
            DSLContext dsl = DSL.using(connection, SQLDialect.POSTGRES);
            database = new java.util.ArrayList<>(dsl.fetch("select document_id, version, title, body, metadata::text,"
                    + " model_id, deleted from documents where tenant_id = ? order by document_id", TENANT)
                    .map(row -> List.of(row.intoArray())));
            database.addAll(dsl.fetch("select document_id, chunk_index, version, chunk_hash, text, token_count,"
                    + " start_offset, end_offset from chunks where tenant_id = ? order by document_id, chunk_index",
                    TENANT).map(row -> List.of(row.intoArray())));
        }
        List<List<Object>> index = new java.util.ArrayList<>();
        List<String> layers = new java.util.ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            Answer search = client.search(shared.queryUrls().getFirst(), "keyword", "rptok" + i, k);
            assertThat(search.status()).as(search.body()).isEqualTo(200);
            layers.add(search.cache());
            for (JsonNode hit : search.json().path("results")) {
                index.add(List.of(hit.path("id").asString(), hit.path("version").asLong(), hit.path("title").asString(),
                        hit.path("snippet").asString()));
            }
        }
        assertThat(index).as("every document is found by its token").hasSize(DOCUMENTS);
        assertThat(database).hasSizeGreaterThanOrEqualTo(2 * DOCUMENTS);
        return new Snapshot(database, index, layers);
    }

    private void awaitIndexed(String id) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Answer status = client.get(shared.ingestUrl() + "/api/v1/documents/" + id + "/status");
            if (status.status() == 200 && "indexed".equals(status.json().path("state").asString())) {
                return;
            }
            assertThat(System.nanoTime()).as("%s indexed within %s: %s", id, TIMEOUT, status.body())
                    .isLessThan(deadline);
            pause(100);
        }
    }

    private double meter(Pattern pattern) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(indexerUrl + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher matcher = pattern.matcher(body);
        assertThat(matcher.find()).as("meter %s in the indexer's metrics", pattern).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    private JsonNode getJson(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + Files.readString(keyFile).strip())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private static CliRun cli(String... args) {
        return CliRun.run(args);
    }

    private String createAdminKey() throws Exception {
        try (Connection connection = connect()) {
            return new ApiKeys(DSL.using(connection, SQLDialect.POSTGRES))
                    .create(TENANT, "replay and status tests", EnumSet.allOf(Scope.class)).plainKey();
        }
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + shared.options().postgresPort()
                + "/postgres", "postgres", "postgres");
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
