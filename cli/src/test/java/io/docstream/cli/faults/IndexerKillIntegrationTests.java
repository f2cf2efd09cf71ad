package io.docstream.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.cli.run.ProcessInfrastructure;
import io.docstream.cli.run.RuntimeOptions;
import io.docstream.cli.run.ServiceProcess;
import io.docstream.search.DocumentHit;
import io.docstream.search.IndexQuery;
import io.docstream.search.lucene.LuceneIndexTargets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code kill -9} of the indexer in the middle of a stream, then a restart: exactly-once has to hold across a
 * crash that leaves no chance to flush, commit or close. The indexer and ingest run as separate JVMs from their
 * executable jars (as in production); Kafka, PostgreSQL and Redis run in this JVM. 1,500 documents are posted,
 * the indexer is killed once a few hundred are indexed, 500 of them are updated while it is down, and after
 * the restart PostgreSQL, the chunks and the Lucene index must hold each document once, at its newest version.
 * Then the same crash during a replay that rebuilds a wiped index, where the index defers its commits: after the
 * restart every document must be back in the index, at its version, though Kafka had counted the lost writes
 * done (the index's recorded positions say what to read again).
 * Needs the packaged jars ({@code ./mvnw verify} builds them before this runs); without them it is skipped,
 * except in CI where it fails.
 */
class IndexerKillIntegrationTests {

    private static final int DOCUMENTS = 1_500;
    private static final int UPDATED = 500;
    private static final int BATCH = 100;
    private static final String TENANT = "demo";
    /** Only in the first version of the updated documents: after the restart no chunk may still hold it. */
    private static final String OLD_WORD = "quillfeather";
    /** Only in the second version of the updated documents. */
    private static final String NEW_WORD = "brightmoss";
    private static final List<String> WORDS = List.of("river", "granite", "orchard", "lantern", "harbor", "meadow",
            "copper", "willow", "summit", "canyon", "glacier", "prairie", "tundra", "lagoon", "basalt", "delta");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<ServiceProcess> services = new ArrayList<>();
    private ProcessInfrastructure infrastructure;

    @AfterEach
    void stop() {
        services.reversed().forEach(ServiceProcess::close);
        if (infrastructure != null) {
            infrastructure.close();
        }
    }

    @Test
    void aKilledIndexerResumesWithEveryDocumentOnceAtItsNewestVersion() throws Exception {
        Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        Optional<Path> ingestJar = ProcessInfrastructure.execJar(module, "ingest");
        Optional<Path> indexerJar = ProcessInfrastructure.execJar(module, "indexer");
        if (ingestJar.isEmpty() || indexerJar.isEmpty()) {
            ProcessInfrastructure.missingJars(
                    "The crash test needs the packaged ingest and indexer jars (./mvnw verify builds them)");
        }
        Path work = ProcessInfrastructure.freshWorkDirectory(module, "indexer-kill");
        RuntimeOptions options = RuntimeOptions.defaults().withDataDir(work.resolve("data")).withFreePorts();
        infrastructure = ProcessInfrastructure.start(options, System.out);
        Path index = work.resolve("index");
        ServiceProcess ingest = start("ingest", ingestJar.get(), work, options.ingestPort(), Map.of());
        Map<String, String> indexerProperties = Map.of("docstream.index.lucene.path", index.toString(),
                // Small replay batches and no timed commit: a kill during the replay always finds writes that Kafka
                // counts as done and the index has not committed.
                "docstream.indexer.replay.batch-size", "25", "docstream.indexer.replay.commit-interval", "1h");
        ServiceProcess indexer = start("indexer", indexerJar.get(), work, options.indexerPort(), indexerProperties);
        awaitReady(ingest, indexer);

        Random random = new Random(11);
        for (int from = 0; from < DOCUMENTS; from += BATCH) {
            post(ingest, from, Math.min(DOCUMENTS, from + BATCH), 1, random);
        }
        await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(200))
                .until(() -> storedDocuments() >= 200);
        indexer.kill();
        long indexedAtKill = storedDocuments();
        System.out.println("killed the indexer with " + indexedAtKill + " of " + DOCUMENTS + " documents stored");
        assertThat(indexedAtKill).as("killed in the middle of the stream").isLessThan(DOCUMENTS);

        for (int from = 0; from < UPDATED; from += BATCH) {
            post(ingest, from, Math.min(UPDATED, from + BATCH), 2, random);
        }
        ServiceProcess restarted = start("indexer", indexerJar.get(), work, options.indexerPort(), indexerProperties);
        awaitReady(restarted);
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1))
                .until(() -> documentsAtNewestVersion() == DOCUMENTS);
        restarted.close();
        services.remove(restarted);
        assertIndexedOnceAtNewestVersion(index);

        // A wiped index rebuilt by a replay, and the indexer killed in the middle of it.
        ProcessInfrastructure.deleteRecursively(index);
        ServiceProcess rebuilding = start("indexer", indexerJar.get(), work, options.indexerPort(), indexerProperties);
        awaitReady(rebuilding);
        HttpResponse<String> started = replay(rebuilding, HttpRequest.BodyPublishers.ofString(
                "{\"from\":\"earliest\",\"stopIndexer\":true}"));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> replayedRecords(rebuilding) >= DOCUMENTS / 3);
        rebuilding.kill();
        System.out.println("killed the indexer during the replay");

        ServiceProcess recovered = start("indexer", indexerJar.get(), work, options.indexerPort(), indexerProperties);
        awaitReady(recovered);
        try (LuceneIndexTargets follower = LuceneIndexTargets.openReadOnly(index, "docstream-chunks")) {
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> follower.refresh() != null && follower.serving().countDocuments(TENANT) == DOCUMENTS);
        }
        recovered.close();
        services.remove(recovered);
        assertThat(recovered.tail(400)).as("the restarted indexer read the lost records again")
                .contains("Recovered the search index");
        assertIndexedOnceAtNewestVersion(index);
    }

    /** The replay status (no body) or a new replay (a JSON body) on the indexer's admin API. */
    private HttpResponse<String> replay(ServiceProcess indexer, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(indexer.baseUrl() + "/api/v1/admin/replay"))
                .header("Authorization", "Bearer " + infrastructure.apiKey());
        return send(body == null ? request.GET() : request.header("Content-Type", "application/json").POST(body));
    }

    private long replayedRecords(ServiceProcess indexer) {
        HttpResponse<String> status = replay(indexer, null);
        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
        assertThat(JSON.readTree(status.body()).path("state").asString()).as("replay state").isEqualTo("running");
        return JSON.readTree(status.body()).path("records").asLong();
    }

    private void assertIndexedOnceAtNewestVersion(Path index) throws SQLException {
        assertThat(infrastructure.queryLong("select count(*) from documents where tenant_id = 'demo'"))
                .as("rows in documents").isEqualTo(DOCUMENTS);
        assertThat(infrastructure.queryLong("select count(*) from chunks where tenant_id = 'demo'"))
                .as("chunks (one per document, none left over from a version or a retried batch)")
                .isEqualTo(DOCUMENTS);
        assertThat(infrastructure.queryLong("select count(*) from chunks c join documents d using (tenant_id,"
                + " document_id) where c.version <> d.version")).as("chunks of an older version").isZero();
        assertThat(infrastructure.queryLong("select count(*) from chunks where text like '%" + OLD_WORD + "%'"))
                .as("chunks still holding a first version's text").isZero();
        try (LuceneIndexTargets targets = LuceneIndexTargets.openReadOnly(index, "docstream-chunks")) {
            targets.refresh();
            assertThat(targets.serving().countDocuments(TENANT)).as("documents in the index").isEqualTo(DOCUMENTS);
            IndexQuery query = new IndexQuery(TENANT, 100, Map.of());
            assertThat(targets.serving().searchKeyword(query, OLD_WORD)).as("index hits on a first version's word")
                    .isEmpty();
            List<DocumentHit> updated = targets.serving().searchKeyword(query, NEW_WORD);
            assertThat(updated).hasSize(100).extracting(DocumentHit::version).containsOnly(2L);
        }
    }

    private ServiceProcess start(String service, Path jar, Path work, int port, Map<String, String> extra) {
        Map<String, String> properties = infrastructure.serviceProperties(service, port, work.resolve("streams"));
        properties.putAll(extra);
        ServiceProcess process = ServiceProcess.start(service, jar, null, work,
                List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), Map.of(), properties, port);
        services.add(process);
        return process;
    }

    private static void awaitReady(ServiceProcess... processes) {
        await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(1))
                .until(() -> List.of(processes).stream().allMatch(ServiceProcess::ready));
    }

    /** Posts documents {@code from} until {@code to} at {@code version}, one batch; the ingest answers 202. */
    private void post(ServiceProcess ingest, int from, int to, long version, Random random) {
        ArrayNode batch = JSON.createArrayNode();
        for (int i = from; i < to; i++) {
            String marker = version == 1 ? (i < UPDATED ? OLD_WORD : "") : NEW_WORD;
            ObjectNode document = batch.addObject();
            document.put("id", "doc-" + i);
            document.put("title", "Record " + i);
            document.put("body", "Record " + i + " describes the " + WORDS.get(random.nextInt(WORDS.size())) + " near the "
                    + WORDS.get(random.nextInt(WORDS.size())) + ". " + marker);
            document.put("version", version);
        }
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(ingest.baseUrl() + "/api/v1/documents:batch"))
                .header("Authorization", "Bearer " + infrastructure.apiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(batch))));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    }

    private long storedDocuments() throws SQLException {
        return infrastructure.queryLong("select count(*) from documents where tenant_id = 'demo'");
    }

    private long documentsAtNewestVersion() throws SQLException {
        return infrastructure.queryLong("select count(*) from documents where tenant_id = 'demo' and version = "
                + "case when cast(substring(document_id from 5) as int) < " + UPDATED + " then 2 else 1 end");
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
}
