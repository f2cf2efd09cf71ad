package io.docstream.cli.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.cli.DocstreamCli;
import io.docstream.cli.SharedCacheRuntime;
import io.docstream.platform.tenancy.ApiKeys;
import io.docstream.platform.tenancy.CreatedApiKey;
import io.docstream.platform.tenancy.Scope;
import io.docstream.schemas.events.UpsertDocument;
import io.docstream.schemas.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dead-letter workflow on the embedded runtime: a command for a tenant that does not exist, produced
 * straight to Kafka (ingest would refuse it), lands in the DLQ with its reason; once the tenant exists its
 * admin sees the entry, redrives it with {@code docstream dlq}, and the document is indexed exactly once.
 */
@ExtendWith(SharedCacheRuntime.Resolver.class)
class DlqIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(90);

    private static SharedCacheRuntime runtime;
    private static DSLContext database;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    @TempDir
    Path temp;

    @BeforeAll
    static void start(SharedCacheRuntime shared) {
        runtime = shared;
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL("jdbc:postgresql://localhost:" + shared.options().postgresPort() + "/postgres");
        dataSource.setUser("postgres");
        dataSource.setPassword("postgres");
        database = DSL.using(dataSource, SQLDialect.POSTGRES);
    }

    @Test
    void aCommandForAMissingTenantIsDeadLetteredThenRedrivenAfterTheTenantExistsAndIndexedOnce() throws IOException {
        String tenant = "dlq-" + UUID.randomUUID().toString().substring(0, 8);
        UpsertDocument command = new UpsertDocument(tenant, "doc-1", 3, "Narwhals",
                "Narwhals carry a spiral tusk through arctic waters.", Map.of(), Instant.now());
        DeadLetters.deadLetter(runtime.runtime().bootstrapServers(), command, WAIT);

        assertThat(get("/api/v1/admin/dlq", runtime.apiKey()).path("entries").findValuesAsString("documentId"))
                .as("another tenant's admin never sees the entry").doesNotContain("doc-1");

        CreatedApiKey admin = new ApiKeys(database).create(tenant, "dlq-test", EnumSet.allOf(Scope.class));
        Path keyFile = Files.writeString(temp.resolve("api-key"), admin.plainKey());
        JsonNode listing = get("/api/v1/admin/dlq", admin.plainKey());
        assertThat(listing.path("total").asInt()).isEqualTo(1);
        JsonNode entry = listing.path("entries").get(0);
        assertThat(entry.path("documentId").asString()).isEqualTo("doc-1");
        assertThat(entry.path("reason").asString()).isEqualTo("foreign key violation");
        assertThat(entry.path("exception").asString()).contains("tenants");
        assertThat(entry.path("redriven").asBoolean()).isFalse();
        assertThat(listing.path("countsByReason").path("foreign key violation").asInt()).isEqualTo(1);
        String id = entry.path("id").asString();

        JsonNode shown = get("/api/v1/admin/dlq/" + id, admin.plainKey());
        assertThat(shown.path("valueEncoding").asString()).isEqualTo("utf-8");
        assertThat(shown.path("value").asString()).contains("Narwhals");
        assertThat(shown.path("headers").path(Topics.DLQ_REASON_HEADER).asString()).isEqualTo("foreign key violation");

        Cli redrive = cli("dlq", "redrive", id, "--api-key-file", keyFile.toString());
        assertThat(redrive.exitCode()).as(redrive.err()).isZero();
        assertThat(redrive.out()).contains(id + " redriven to " + Topics.DOCUMENTS.name());

        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(search("narwhals spiral tusk", admin.plainKey())).containsExactly("doc-1"));
        assertThat(database.fetchCount(DSL.table("documents"), DSL.field("tenant_id").eq(tenant))).isEqualTo(1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                get("/api/v1/documents/doc-1/status", admin.plainKey()).path("state").asString()).isEqualTo("indexed"));

        Cli again = cli("dlq", "redrive", id, "--api-key-file", keyFile.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("409");
        HttpResponse<String> conflict = send(HttpRequest.newBuilder(
                URI.create(runtime.ingestUrl() + "/api/v1/admin/dlq/" + id + "/redrive"))
                .POST(HttpRequest.BodyPublishers.noBody()), admin.plainKey());
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(json.readTree(conflict.body()).path("type").asString()).endsWith("/already-redriven");

        Cli list = cli("dlq", "list", "--json", "--api-key-file", keyFile.toString());
        JsonNode after = json.readTree(list.out());
        assertThat(after.path("entries").get(0).path("redriven").asBoolean()).isTrue();
        assertThat(after.path("pending").asInt()).isZero();
        assertThat(search("narwhals", admin.plainKey())).as("indexed exactly once").containsExactly("doc-1");
    }

    private List<String> search(String query, String apiKey) {
        JsonNode answer = get(runtime.queryUrls().get(0), "/api/v1/search?mode=keyword&k=10&q="
                + URLEncoder.encode(query, StandardCharsets.UTF_8), apiKey);
        return answer.path("results").findValuesAsString("id");
    }

    private JsonNode get(String path, String apiKey) {
        return get(runtime.ingestUrl(), path, apiKey);
    }

    private JsonNode get(String baseUrl, String path, String apiKey) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET(), apiKey);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String apiKey) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + apiKey).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--ingest-url", runtime.ingestUrl()));
        int exitCode = DocstreamCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(all.toArray(String[]::new));
        return new Cli(exitCode, out.toString(), err.toString());
    }

    private record Cli(int exitCode, String out, String err) {
    }
}
