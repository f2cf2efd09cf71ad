package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.cli.ApiClient.Answer;
import io.docstream.search.DocumentHit;
import io.docstream.search.IndexQuery;
import io.docstream.search.IndexTarget;
import io.docstream.search.IndexTargets;
import io.docstream.platform.tenancy.ApiKeys;
import io.docstream.platform.tenancy.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Zero-downtime reindex on the shared runtime with a tenant of its own: while one loop keeps searching (every
 * answer must be a 200 that finds a known document) and another keeps writing new documents, {@code reindex
 * start} builds a new target and switches the alias; every document written meanwhile is in the new target;
 * {@code rollback} points the alias back with search still answering; {@code finish --drop-old} leaves the
 * runtime on its original target for the other test classes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedCacheRuntime.Resolver.class)
class ReindexIntegrationTests {

    private static final String TENANT = "reindex-ops";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private SharedCacheRuntime shared;
    private ApiClient client;
    private Path keyFile;
    private String indexerUrl;

    @BeforeAll
    void indexAKnownDocument(SharedCacheRuntime runtime) throws Exception {
        shared = runtime;
        indexerUrl = "http://localhost:" + runtime.options().indexerPort();
        String key;
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:"
                + runtime.options().postgresPort() + "/postgres", "postgres", "postgres")) {
            key = new ApiKeys(DSL.using(connection, SQLDialect.POSTGRES))
                    .create(TENANT, "reindex tests", EnumSet.allOf(Scope.class)).plainKey();
        }
        keyFile = runtime.dataDir().resolve(TENANT + "-api-key");
        Files.writeString(keyFile, key);
        client = new ApiClient(key);
        put("anchor", "Lighthouse anchor", "The lighthouse keeper logs every ship: token rxanchor.");
        awaitIndexed("anchor");
    }

    @Test
    void reindexesWhileSearchesAndWritesRunThenRollsBack() throws Exception {
        IndexTargets targets = shared.runtime().indexTargets();
        String original = targets.current().name();
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicInteger searches = new AtomicInteger();
        List<String> written = new CopyOnWriteArrayList<>();
        Thread searcher = Thread.ofPlatform().name("reindex-it-search").start(() -> {
            for (int i = 0; running.get(); i++) {
                String url = shared.queryUrls().get(i % 2);
                Answer answer = client.search(url, i % 3 == 0 ? "keyword" : "hybrid", "lighthouse rxanchor",
                        1 + i % 10);
                searches.incrementAndGet();
                if (answer.status() != 200 || answer.json().path("results").isEmpty()
                        || !answer.body().contains("\"anchor\"")) {
                    failures.add(answer.status() + " " + answer.body());
                }
            }
        });
        Thread writer = Thread.ofPlatform().name("reindex-it-write").start(() -> {
            for (int i = 0; running.get(); i++) {
                put("live-" + i, "Live write " + i, "Written during the reindex: token rxlive" + i + ".");
                written.add("live-" + i);
            }
        });
        try {
            awaitUntil(() -> written.size() >= 3, "writes before the reindex starts");
            CliRun start = cli("reindex", "start", "--indexer-url", indexerUrl, "--api-key-file", keyFile.toString(),
                    "--poll-interval", "PT0.1S");
            assertThat(start.exitCode()).as(start.output()).isZero();
            assertThat(start.output()).contains("records").contains("docs/s").contains("Switched");
            int writtenAtSwitch = written.size();
            awaitUntil(() -> written.size() >= writtenAtSwitch + 3, "writes after the switch");
        } finally {
            running.set(false);
            searcher.join();
            writer.join();
        }

        String target = targets.current().name();
        assertThat(target).isNotEqualTo(original);
        assertThat(searches.get()).isGreaterThan(10);
        assertThat(failures).as("searches that failed or came back without the known document").isEmpty();
        for (String id : written) {
            awaitIndexed(id);
        }
        Set<String> inTarget = documentsIn(targets, target);
        assertThat(inTarget).as("documents written during the build are in the new target").containsAll(written);
        assertThat(targets.open(target).countDocuments(TENANT)).isEqualTo(written.size() + 1);

        CliRun rollback = cli("reindex", "rollback", "--indexer-url", indexerUrl, "--api-key-file",
                keyFile.toString());
        assertThat(rollback.exitCode()).as(rollback.output()).isZero();
        assertThat(rollback.output()).contains("rolled-back").contains(original + " ");
        assertThat(targets.current().name()).isEqualTo(original);
        Answer afterRollback = client.search(shared.queryUrls().getFirst(), "hybrid", "lighthouse rxanchor", 5);
        assertThat(afterRollback.status()).isEqualTo(200);
        assertThat(afterRollback.body()).contains("\"anchor\"");
        assertThat(documentsIn(targets, original)).as("the old target followed every write").containsAll(written);

        CliRun finish = cli("reindex", "finish", "--drop-old", "--indexer-url", indexerUrl, "--api-key-file",
                keyFile.toString(), "--json");
        assertThat(finish.exitCode()).as(finish.output()).isZero();
        assertThat(finish.output()).contains("\"finished\"");
        assertThat(targets.list()).extracting(IndexTarget::name).containsExactly(original);
    }

    private Set<String> documentsIn(IndexTargets targets, String target) {
        return targets.open(target).searchKeyword(new IndexQuery(TENANT, 100, Map.of()), "written reindex lighthouse")
                .stream().map(DocumentHit::documentId).collect(Collectors.toSet());
    }

    private void put(String id, String title, String body) {
        Answer put = client.put(shared.ingestUrl() + "/api/v1/documents/" + id, Map.of("title", title, "body", body));
        assertThat(put.status()).as(put.body()).isEqualTo(202);
    }

    private void awaitIndexed(String id) {
        awaitUntil(() -> {
            Answer status = client.get(shared.ingestUrl() + "/api/v1/documents/" + id + "/status");
            return status.status() == 200 && "indexed".equals(status.json().path("state").asString());
        }, id + " indexed");
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("%s within %s", what, TIMEOUT).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static CliRun cli(String... args) {
        return CliRun.run(args);
    }
}
