package io.docstream.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.cli.DocstreamCli;
import io.docstream.cli.SharedCacheRuntime;
import io.docstream.platform.tenancy.ApiKeys;
import io.docstream.platform.tenancy.CreatedApiKey;
import io.docstream.platform.tenancy.Scope;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
import java.util.EnumSet;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.jooq.CloseableDSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit trail end to end on the embedded runtime: a document posted with a request id is audited by ingest
 * (through the audit topic and the invalidator's sink into PostgreSQL), its indexing is audited by the invalidator,
 * and both rows are read back through {@code GET /api/v1/audit} and {@code docstream audit}. Uses a tenant of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedCacheRuntime.Resolver.class)
class AuditTrailIntegrationTests {

    private static final String TENANT = "audit-e2e";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private SharedCacheRuntime shared;
    private CreatedApiKey key;
    private Path keyFile;

    @BeforeAll
    void ownTenant(SharedCacheRuntime runtime) throws Exception {
        shared = runtime;
        String jdbcUrl = "jdbc:postgresql://localhost:" + runtime.options().postgresPort() + "/postgres";
        try (CloseableDSLContext dsl = DSL.using(jdbcUrl, "postgres", "postgres")) {
            key = new ApiKeys(dsl).create(TENANT, "audit-tests", EnumSet.allOf(Scope.class));
        }
        keyFile = Files.createTempFile(runtime.dataDir(), "audit-key", "");
        Files.writeString(keyFile, key.plainKey());
    }

    @Test
    void aPostedDocumentsAcceptanceAndIndexingAreAuditedAndListedByRequestId() throws Exception {
        String id = "audited-" + UUID.randomUUID();
        String requestId = "r-123";
        Instant before = Instant.now();
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(shared.ingestUrl() + "/api/v1/documents"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key.plainKey())
                .header("Content-Type", "application/json")
                .header("X-Request-Id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(java.util.Map.of("id", id,
                        "title", "Audited", "body", "Every change leaves a trace in the audit log."))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        long version = JSON.readTree(posted.body()).get("version").asLong();
        String resource = "document:" + TENANT + "/" + id + "@" + version;

        JsonNode upsert = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> find("requestId=" + requestId, resource), Optional::isPresent).orElseThrow();
        assertThat(upsert.get("action").asString()).isEqualTo("document.upsert");
        assertThat(upsert.get("actor").asString()).isEqualTo("key:" + key.keyId());
        assertThat(upsert.get("outcome").asString()).isEqualTo("accepted");
        assertThat(upsert.get("requestId").asString()).isEqualTo(requestId);
        assertThat(Instant.parse(upsert.get("time").asString())).isBetween(before, Instant.now());

        JsonNode indexed = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> find("action=document.indexed", resource), Optional::isPresent).orElseThrow();
        assertThat(indexed.get("actor").asString()).isEqualTo("system:indexer");
        assertThat(indexed.get("outcome").asString()).isEqualTo("succeeded");
        assertThat(Instant.parse(indexed.get("time").asString())).isAfterOrEqualTo(
                Instant.parse(upsert.get("time").asString()).minusSeconds(1));

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        AuditCommand command = (AuditCommand) DocstreamCli.commandLine().parseArgs("audit", "--query-url",
                shared.queryUrls().getFirst(), "--api-key-file", keyFile.toString(), "--request-id", requestId)
                .subcommand().commandSpec().userObject();
        command.run(new PrintStream(printed, true, StandardCharsets.UTF_8));
        String table = printed.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("ACTOR", "key:" + key.keyId(), "document.upsert", "accepted", resource, requestId,
                "1 event");
    }

    @Test
    void theEmbeddedKeysCreationIsAudited() throws Exception {
        HttpResponse<String> response = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> http.send(HttpRequest.newBuilder(URI.create(shared.queryUrls().getFirst()
                                + "/api/v1/audit?limit=50&action=key.create"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + shared.apiKey())
                        .GET().build(), HttpResponse.BodyHandlers.ofString()),
                        answer -> answer.statusCode() == 200 && JSON.readTree(answer.body()).get("events").size() > 0);
        JsonNode event = JSON.readTree(response.body()).get("events").get(0);
        assertThat(event.get("actor").asString()).isEqualTo("system:run");
        assertThat(event.get("resource").asString()).startsWith("key:demo/");
        assertThat(event.get("outcome").asString()).isEqualTo("succeeded");
        assertThat(response.body()).as("names the key id, never the key").doesNotContain(shared.apiKey());
    }

    /** The event about {@code resource} among the first page matching {@code query}, if any. */
    private Optional<JsonNode> find(String query, String resource) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(shared.queryUrls().getFirst()
                        + "/api/v1/audit?limit=500&" + query.replace(" ", URLEncoder.encode(" ", StandardCharsets.UTF_8))))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key.plainKey())
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return StreamSupport.stream(JSON.readTree(response.body()).get("events").spliterator(), false)
                .filter(event -> event.get("resource").asString().equals(resource))
                .findFirst();
    }
}
