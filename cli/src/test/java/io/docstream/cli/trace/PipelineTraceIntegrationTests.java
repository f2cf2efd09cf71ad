package io.docstream.cli.trace;

import static io.docstream.cli.trace.Trace.kind;
import static io.docstream.cli.trace.Trace.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.cli.run.ProcessInfrastructure;
import io.docstream.cli.run.RuntimeOptions;
import io.docstream.cli.run.ServiceProcess;
import io.docstream.cli.trace.OtlpReceiver.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The proof that one trace follows a document and one a search through docstream, without Jaeger: the four
 * services run as separate JVMs from their executable jars with the real OpenTelemetry agent, exporting OTLP to
 * a receiver in this test; Kafka, PostgreSQL and Redis run in this JVM as under {@code ./docstream run}, and
 * the query API follows the indexer's Lucene index read-only. Needs the packaged jars ({@code ./mvnw verify}
 * builds them before this runs); without them it is skipped, except in CI where it fails.
 */
class PipelineTraceIntegrationTests {

    private static final String INGEST = "docstream-ingest";
    private static final String INDEXER = "docstream-indexer";
    private static final String INVALIDATOR = "docstream-invalidator";
    private static final String QUERY_API = "docstream-query-api";
    private static final String DOCUMENTS_TOPIC = "docstream.documents.v1";
    private static final String INDEXED_TOPIC = "docstream.indexed.v1";
    private static final String MESSAGING_DESTINATION = "messaging.destination.name";

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(8);
    private static final Duration SEARCHABLE_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration SPANS_TIMEOUT = Duration.ofSeconds(60);

    /** A word no other document holds, so a keyword match means this test's document is searchable. */
    private static final String WORD = "quokkaberry";
    private static final String DOCUMENT_ID = "trace-proof-" + UUID.randomUUID();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static OtlpReceiver receiver;
    private static ProcessInfrastructure infrastructure;
    private static final List<ServiceProcess> services = new ArrayList<>();
    private static ServiceProcess ingest;
    private static ServiceProcess queryApi;
    private static boolean documentSearchable;

    @RegisterExtension
    static final AfterTestExecutionCallback PRINT_LOGS_ON_FAILURE = context -> context.getExecutionException()
            .ifPresent(failure -> printServiceLogs());

    @BeforeAll
    static void startServicesWithTheAgent() throws IOException {
        Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        Path agent = module.resolve("target/agents/opentelemetry-javaagent.jar");
        Map<String, Optional<Path>> jars = new LinkedHashMap<>();
        for (String service : List.of("indexer", "invalidator", "query-api", "ingest")) {
            jars.put(service, ProcessInfrastructure.execJar(module, service));
        }
        List<String> missing = new ArrayList<>();
        if (!Files.isRegularFile(agent)) {
            missing.add(agent.toString());
        }
        jars.forEach((service, jar) -> {
            if (jar.isEmpty()) {
                missing.add(module.resolveSibling(service).resolve("target/docstream-" + service + "-*-exec.jar")
                        .toString());
            }
        });
        if (!missing.isEmpty()) {
            ProcessInfrastructure.missingJars("The trace proof needs the packaged agent and service jars (./mvnw verify "
                    + "builds them); missing: " + missing);
        }

        Path work = ProcessInfrastructure.freshWorkDirectory(module, "pipeline-trace");
        receiver = OtlpReceiver.start();
        RuntimeOptions options = RuntimeOptions.defaults().withDataDir(work.resolve("data")).withFreePorts();
        infrastructure = ProcessInfrastructure.start(options, System.out);
        try {
            Path index = work.resolve("index");
            services.add(start("indexer", jars, agent, work, options.indexerPort(), "-Xmx512m", Map.of(
                    "docstream.index.lucene.path", index.toString())));
            services.add(start("invalidator", jars, agent, work, options.invalidatorPort(), "-Xmx384m", Map.of()));
            queryApi = start("query-api", jars, agent, work, options.queryApiPort(), "-Xmx512m", Map.of(
                    "docstream.index.lucene.path", index.toString(),
                    "docstream.index.lucene.read-only", "true"));
            services.add(queryApi);
            ingest = start("ingest", jars, agent, work, options.ingestPort(), "-Xmx384m", Map.of());
            services.add(ingest);
            await().atMost(READY_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                    .until(() -> services.stream().allMatch(ServiceProcess::ready));
        } catch (RuntimeException | Error e) {
            printServiceLogs();
            throw e;
        }
    }

    @AfterAll
    static void stopServices() {
        services.reversed().forEach(ServiceProcess::close);
        services.clear();
        if (infrastructure != null) {
            infrastructure.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void oneTraceFollowsADocumentFromTheIngestPostToTheCacheInvalidation() {
        ensureDocumentSearchable();

        await().atMost(SPANS_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            ReceivedSpan post = onlySpan(receiver.spans(), span -> span.service().equals(INGEST)
                    && span.kind() == SpanKind.SPAN_KIND_SERVER
                    && "POST".equals(span.attributes().get("http.request.method"))
                    && "/api/v1/documents".equals(span.attributes().get("http.route")));
            Trace trace = new Trace(post.traceId(), receiver.spans());
            assertThat(post.isRoot()).as("the ingest POST starts the trace").isTrue();

            ReceivedSpan sent = required(trace, kind(INGEST, SpanKind.SPAN_KIND_PRODUCER)
                    .and(destination(DOCUMENTS_TOPIC)), "ingest's producer span of the command");
            ReceivedSpan consumed = required(trace, kind(INDEXER, SpanKind.SPAN_KIND_CONSUMER)
                    .and(destination(DOCUMENTS_TOPIC)), "the indexer's consumer span of the command");
            ReceivedSpan indexed = required(trace, named(INDEXER, "index document"), "the indexer's 'index document'");
            ReceivedSpan written = required(trace, named(INDEXER, "index write"), "the indexer's 'index write'");
            ReceivedSpan stored = required(trace, kind(INDEXER, SpanKind.SPAN_KIND_CLIENT).and(PipelineTraceIntegrationTests::jdbc),
                    "a JDBC span of the indexer");
            ReceivedSpan announced = required(trace, kind(INDEXER, SpanKind.SPAN_KIND_PRODUCER)
                    .and(destination(INDEXED_TOPIC)), "the indexer's producer span of DocumentIndexed");
            ReceivedSpan heard = required(trace, kind(INVALIDATOR, SpanKind.SPAN_KIND_CONSUMER)
                    .and(destination(INDEXED_TOPIC)), "the invalidator's consumer span of DocumentIndexed");
            ReceivedSpan invalidated = required(trace, named(INVALIDATOR, "invalidate"), "the invalidator's 'invalidate'");

            assertDescends(trace, sent, post);
            assertDescends(trace, consumed, sent);
            assertDescends(trace, indexed, consumed);
            assertDescends(trace, written, indexed);
            assertDescends(trace, stored, indexed);
            assertDescends(trace, announced, indexed);
            assertDescends(trace, heard, announced);
            assertDescends(trace, invalidated, heard);
            assertEverySpanReaches(trace, post);
        });
    }

    @Test
    void oneTraceCoversASearchFromTheCacheLookupToTheFusion() {
        ensureDocumentSearchable();
        String query = WORD + " " + "fresh" + UUID.randomUUID().toString().replace("-", "");
        assertThat(hitIds(search(query))).as("a search nobody made before (a cache miss)").contains(DOCUMENT_ID);

        await().atMost(SPANS_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            ReceivedSpan request = onlySpan(receiver.spans(), span -> span.service().equals(QUERY_API)
                    && span.kind() == SpanKind.SPAN_KIND_SERVER
                    && span.attributes().getOrDefault("url.query", "").contains(query.substring(WORD.length() + 1)));
            Trace trace = new Trace(request.traceId(), receiver.spans());
            assertThat(request.isRoot()).as("the search request starts the trace").isTrue();
            assertThat(trace.spans()).as("%s", trace).allSatisfy(span -> assertThat(span.service()).isEqualTo(QUERY_API));

            ReceivedSpan lookup = required(trace, named(QUERY_API, "cache lookup"), "'cache lookup'");
            ReceivedSpan embedded = required(trace, named(QUERY_API, "embed query"), "'embed query'");
            ReceivedSpan fused = required(trace, named(QUERY_API, "fuse"), "'fuse'");
            List<ReceivedSpan> retrievals = List.of(
                    required(trace, named(QUERY_API, "retrieve dense"), "'retrieve dense'"),
                    required(trace, named(QUERY_API, "retrieve keyword"), "'retrieve keyword'"),
                    required(trace, named(QUERY_API, "pick snippets"), "'pick snippets'"));

            Stream.concat(Stream.of(lookup, embedded, fused), retrievals.stream())
                    .forEach(span -> assertDescends(trace, span, request));
            assertEverySpanReaches(trace, request);
        });
    }

    @Test
    void theQueryApiReportsItFollowsTheIndexReadOnly() {
        JsonNode health = JSON.readTree(get(queryApi.baseUrl() + "/actuator/health").body());
        assertThat(health.at("/components/index/status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/index/details/mode").asString()).isEqualTo("read-only");
    }

    /** Posts the document once, then searches until the query API finds it (it follows the indexer's commits). */
    private static synchronized void ensureDocumentSearchable() {
        if (documentSearchable) {
            return;
        }
        String body = JSON.writeValueAsString(Map.of("id", DOCUMENT_ID, "title", "Emperor penguins",
                "body", "Emperor penguins huddle through the polar winter and share " + WORD + " at dawn."));
        HttpResponse<String> accepted = send(HttpRequest.newBuilder(URI.create(ingest.baseUrl() + "/api/v1/documents"))
                .header("Authorization", "Bearer " + infrastructure.apiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        // Every attempt asks something new: a cached miss from before the index caught up must not hide the hit.
        AtomicInteger attempt = new AtomicInteger();
        await().atMost(SEARCHABLE_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() ->
                hitIds(search(WORD + " attempt" + attempt.incrementAndGet())).contains(DOCUMENT_ID));
        documentSearchable = true;
    }

    private static HttpResponse<String> search(String query) {
        HttpResponse<String> response = get(queryApi.baseUrl() + "/api/v1/search?mode=hybrid&k=10&q="
                + URLEncoder.encode(query, StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    private static List<String> hitIds(HttpResponse<String> response) {
        JsonNode results = JSON.readTree(response.body()).path("results");
        return StreamSupport.stream(results.spliterator(), false).map(hit -> hit.path("id").asString()).toList();
    }

    private static HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + infrastructure.apiKey()).GET());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ReceivedSpan onlySpan(List<ReceivedSpan> spans, Predicate<ReceivedSpan> filter) {
        List<ReceivedSpan> matching = spans.stream().filter(filter).toList();
        assertThat(matching).as("spans received so far:\n  %s", new SpansDump(spans)).hasSize(1);
        return matching.getFirst();
    }

    private static ReceivedSpan required(Trace trace, Predicate<ReceivedSpan> filter, String what) {
        return trace.first(filter).orElseThrow(() -> new AssertionError("No span for " + what + " in " + trace));
    }

    private static void assertDescends(Trace trace, ReceivedSpan span, ReceivedSpan ancestor) {
        assertThat(trace.descendsFrom(span, ancestor))
                .as("%s descends from %s; its chain:\n    %s\nin %s", span, ancestor, trace.chain(span), trace)
                .isTrue();
    }

    private static void assertEverySpanReaches(Trace trace, ReceivedSpan root) {
        for (ReceivedSpan span : trace.spans()) {
            if (!span.spanId().equals(root.spanId())) {
                assertDescends(trace, span, root);
            }
        }
    }

    private static Predicate<ReceivedSpan> destination(String topic) {
        return span -> topic.equals(span.attributes().get(MESSAGING_DESTINATION));
    }

    private static boolean jdbc(ReceivedSpan span) {
        return "postgresql".equals(span.attributes().get("db.system"))
                || "postgresql".equals(span.attributes().get("db.system.name"));
    }

    private static ServiceProcess start(String service, Map<String, Optional<Path>> jars, Path agent, Path work,
            int port, String heap, Map<String, String> extra) {
        Map<String, String> environment = Map.of(
                "OTEL_SERVICE_NAME", "docstream-" + service,
                "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "OTEL_METRICS_EXPORTER", "none",
                "OTEL_LOGS_EXPORTER", "none",
                "OTEL_BSP_SCHEDULE_DELAY", "200");
        Map<String, String> properties = infrastructure.serviceProperties(service, port, work.resolve("streams"));
        properties.putAll(extra);
        // Start-up speed matters more than peak throughput on a 2-core machine running four JVMs at once.
        List<String> javaOptions = List.of(heap, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        return ServiceProcess.start(service, jars.get(service).orElseThrow(), agent, work, javaOptions, environment,
                properties, port);
    }

    private static void printServiceLogs() {
        for (ServiceProcess service : services) {
            System.out.println("----- last lines of " + service.name() + " -----");
            System.out.println(service.tail(40));
        }
    }

    /** Spans printed one a line in failure messages. */
    private record SpansDump(List<ReceivedSpan> spans) {
        @Override
        public String toString() {
            return String.join("\n  ", spans.stream().map(ReceivedSpan::toString).toList());
        }
    }
}
