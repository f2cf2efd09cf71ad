package io.docstream.cli.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The compose stack end to end, as a user runs it: the images are built from the Dockerfile, the
 * whole of compose/docker-compose.yml starts (two indexer replicas), and a document is posted, found,
 * updated and deleted through ingest and query-api; traces reach Jaeger and Prometheus scrapes every
 * indexer replica. Needs a Docker engine with Compose v2 and is skipped without one.
 *
 * <p>Secrets are generated into a temporary directory, and the host ports the compose file publishes
 * are dropped, through an override file, so nothing in the working tree or on the host's ports is used.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeStackIntegrationTests {

    private static final Logger log = LoggerFactory.getLogger(ComposeStackIntegrationTests.class);

    /** The first run builds the images (the whole Maven reactor inside Docker). */
    private static final Duration STARTUP = Duration.ofMinutes(25);
    private static final Duration INDEXING = Duration.ofMinutes(2);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final int INDEXERS = 2;

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper json = JsonMapper.builder().build();

    private static Path work;
    private static ComposeContainer stack;
    private static String apiKey;
    private static String ingest;
    private static String query;
    private static String jaeger;
    private static String prometheus;

    @BeforeAll
    static void startStack() throws IOException {
        work = Files.createTempDirectory("docstream-compose");
        apiKey = writeSecrets(work.resolve("secrets"));
        Path override = Files.writeString(work.resolve("test-override.yml"), override(work.resolve("secrets")));

        ComposeStack files = ComposeStack.locate();
        // Named explicitly: with a scaled service alone, `compose up` would start only that one.
        String[] services = files.compose().path("services").propertyNames().toArray(String[]::new);
        stack = new ComposeContainer(files.composeFile().toFile(), override.toFile())
                .withServices(services)
                .withBuild(true)
                .withScaledService("indexer", INDEXERS)
                .withStartupTimeout(STARTUP)
                .withExposedService("ingest", 8081, Wait.forHttp("/actuator/health/readiness").forStatusCode(200)
                        .withStartupTimeout(STARTUP))
                .withExposedService("query-api", 8080, Wait.forHttp("/actuator/health/readiness").forStatusCode(200)
                        .withStartupTimeout(STARTUP))
                .withExposedService("jaeger", 16686, Wait.forHttp("/").forStatusCode(200))
                .withExposedService("prometheus", 9090, Wait.forHttp("/-/ready").forStatusCode(200));
        for (String container : List.of("ingest-1", "indexer-1", "indexer-2", "invalidator-1", "query-api-1")) {
            stack.withLogConsumer(container, new Slf4jLogConsumer(log).withPrefix(container));
        }
        stack.start();

        ingest = url("ingest", 8081);
        query = url("query-api", 8080);
        jaeger = url("jaeger", 16686);
        prometheus = url("prometheus", 9090);
    }

    @AfterAll
    static void stopStack() throws IOException {
        if (stack != null) {
            stack.stop();
        }
        if (work != null) {
            try (var files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    @Test
    void aDocumentIsPostedFoundUpdatedAndDeletedThroughTheStack() {
        String id = "compose-" + UUID.randomUUID();
        String first = "zephyrine" + token();
        String second = "quillwort" + token();

        Answer posted = send("POST", ingest + "/api/v1/documents", Map.of("id", id, "title", "Compose stack check",
                "body", "The first text of this document mentions " + first + " exactly once."));
        assertThat(posted.status()).as(posted.body()).isEqualTo(202);
        long firstVersion = posted.json().path("version").asLong();

        awaitState(id, "indexed", firstVersion);
        awaitSearch(first, id, true);
        assertThat(document(id).path("version").asLong()).isEqualTo(firstVersion);

        Answer updated = send("PUT", ingest + "/api/v1/documents/" + id, Map.of("title", "Compose stack check",
                "body", "The second text replaces the first and mentions " + second + " instead."));
        assertThat(updated.status()).as(updated.body()).isEqualTo(202);
        long secondVersion = updated.json().path("version").asLong();
        assertThat(secondVersion).isGreaterThan(firstVersion);

        awaitState(id, "indexed", secondVersion);
        awaitSearch(second, id, true);
        awaitSearch(first, id, false);
        assertThat(document(id).path("version").asLong()).isEqualTo(secondVersion);

        Answer deleted = send("DELETE", ingest + "/api/v1/documents/" + id, null);
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(202);

        awaitState(id, "deleted", deleted.json().path("version").asLong());
        awaitSearch(second, id, false);
        await().atMost(INDEXING).pollInterval(POLL).untilAsserted(() ->
                assertThat(get(query + "/api/v1/documents/" + id).status()).isEqualTo(404));
    }

    @Test
    void everyIndexerReplicaRunsAndIsScraped() {
        for (int replica = 1; replica <= INDEXERS; replica++) {
            String name = "indexer-" + replica;
            assertThat(stack.getContainerByServiceName(name)).as(name).hasValueSatisfying(container ->
                    await().atMost(STARTUP).pollInterval(Duration.ofSeconds(2)).until(container::isHealthy));
        }
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            JsonNode result = get(prometheus + "/api/v1/query?query="
                    + URLEncoder.encode("count(up{job=\"indexer\"} == 1)", StandardCharsets.UTF_8)).json();
            assertThat(result.path("data").path("result").path(0).path("value").path(1).asString())
                    .isEqualTo(String.valueOf(INDEXERS));
        });
    }

    @Test
    void everyServiceSendsTracesToJaeger() {
        // Docker's health checks alone make each service answer HTTP requests, which the agent traces.
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            JsonNode services = get(jaeger + "/api/services").json().path("data");
            assertThat(services.values().stream().map(JsonNode::asString).toList()).contains(
                    "docstream-ingest", "docstream-indexer", "docstream-invalidator", "docstream-query-api");
        });
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private record Answer(int status, String body, JsonNode json) {
    }

    /** Waits until ingest reports the document in {@code state} at {@code version} or newer. */
    private static void awaitState(String id, String state, long version) {
        await().atMost(INDEXING).pollInterval(POLL).untilAsserted(() -> {
            Answer status = get(ingest + "/api/v1/documents/" + id + "/status");
            assertThat(status.status()).as(status.body()).isEqualTo(200);
            assertThat(status.json().path("state").asString()).as(status.body()).isEqualTo(state);
            assertThat(status.json().path("indexedVersion").asLong()).as(status.body()).isGreaterThanOrEqualTo(version);
        });
    }

    private static void awaitSearch(String word, String id, boolean present) {
        await().atMost(INDEXING).pollInterval(POLL).untilAsserted(() -> {
            List<String> ids = searchIds(word);
            if (present) {
                assertThat(ids).as("search for %s", word).contains(id);
            } else {
                assertThat(ids).as("search for %s", word).doesNotContain(id);
            }
        });
    }

    private static List<String> searchIds(String word) {
        Answer answer = get(query + "/api/v1/search?mode=keyword&k=10&q=" + URLEncoder.encode(word, StandardCharsets.UTF_8));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().path("results").values().stream().map(result -> result.path("id").asString()).toList();
    }

    private static JsonNode document(String id) {
        Answer answer = get(query + "/api/v1/documents/" + id);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static Answer get(String url) {
        return send("GET", url, null);
    }

    private static Answer send(String method, String url, Map<String, Object> body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            JsonNode node = text.startsWith("{") || text.startsWith("[") ? json.readTree(text) : json.missingNode();
            return new Answer(response.statusCode(), text, node);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String url(String service, int port) {
        return "http://" + stack.getServiceHost(service, port) + ":" + stack.getServicePort(service, port);
    }

    private static String token() {
        return Long.toString(Math.abs(new SecureRandom().nextLong()), 36);
    }

    /**
     * The secrets compose/init-secrets.sh would create, in the same formats: a directory only we can
     * enter, files the containers' own users can read. Returns the demo tenant's API key.
     */
    private static String writeSecrets(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        String key = "ds_" + random(32);
        for (String secret : ComposeStack.SECRETS) {
            Path file = directory.resolve(secret);
            Files.writeString(file, secret.equals("api_key") ? key : random(24));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        return key;
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    /** Secrets from the temporary directory; no published host ports (Testcontainers proxies the ones used). */
    private static String override(Path secrets) {
        StringBuilder yaml = new StringBuilder("services:\n");
        for (String published : List.of("ingest", "query-api", "jaeger", "prometheus", "grafana")) {
            yaml.append("  ").append(published).append(":\n    ports: !reset []\n");
        }
        yaml.append("secrets:\n");
        for (String secret : ComposeStack.SECRETS) {
            yaml.append("  ").append(secret).append(":\n    file: ").append(secrets.resolve(secret).toAbsolutePath()).append('\n');
        }
        return yaml.toString();
    }
}
