package io.docstream.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.cli.run.ProcessInfrastructure;
import io.docstream.cli.run.RuntimeOptions;
import io.docstream.cli.run.ServiceProcess;
import io.docstream.schemas.events.QueryExecuted;
import io.docstream.schemas.topics.Topics;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of the analytics app (it runs in the invalidator's process) while it counts a stream of query
 * events, then a restart: the counts in PostgreSQL must equal the searches made, and each search must be one audit
 * record: exactly once across a crash that leaves no chance to flush or commit. The invalidator runs as its own JVM
 * from its executable jar; the events are published straight to {@code docstream.queries.v1}, as query-api does.
 * Needs the packaged jar ({@code ./mvnw verify} builds it before this runs); without it it is skipped, except in CI.
 */
class AnalyticsKillIntegrationTests {

    private static final int SEARCHES = 6_000;
    private static final int BATCH = 200;
    private static final String TENANT = "analytics-kill";
    private static final List<String> QUERIES = List.of("river delta", "granite", "orchard pests", "lantern", "harbor",
            "zzqx nothing");
    private static final List<String> MODES = List.of("hybrid", "semantic", "keyword");

    private ProcessInfrastructure infrastructure;
    private ServiceProcess invalidator;

    @AfterEach
    void stop() {
        if (invalidator != null) {
            invalidator.close();
        }
        if (infrastructure != null) {
            infrastructure.close();
        }
    }

    @Test
    void aKilledAnalyticsAppCountsEverySearchExactlyOnceAfterItsRestart() throws Exception {
        Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        Optional<Path> jar = ProcessInfrastructure.execJar(module, "invalidator");
        if (jar.isEmpty()) {
            ProcessInfrastructure.missingJars("The crash test needs the packaged invalidator jar (./mvnw verify builds it)");
        }
        Path work = ProcessInfrastructure.freshWorkDirectory(module, "analytics-kill");
        RuntimeOptions options = RuntimeOptions.defaults().withDataDir(work.resolve("data")).withFreePorts();
        infrastructure = ProcessInfrastructure.start(options, System.out);
        invalidator = start(jar.get(), work, options.invalidatorPort());

        try (KafkaProducer<String, QueryExecuted> producer = producer()) {
            int sent = 0;
            while (sent < SEARCHES / 3) {
                sent = publish(producer, sent);
            }
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(100))
                    .until(() -> countedSearches() >= 300);
            // Keep the stream flowing while the app dies: some events are counted, some in flight, none committed.
            sent = publish(producer, sent);
            invalidator.kill();
            long countedAtKill = countedSearches();
            System.out.println("killed the analytics app with " + countedAtKill + " of " + sent + " searches counted");
            assertThat(countedAtKill).as("killed in the middle of the stream").isLessThan(SEARCHES);
            while (sent < SEARCHES) {
                sent = publish(producer, sent);
            }
        }
        invalidator = start(jar.get(), work, options.invalidatorPort());

        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                .until(() -> countedSearches() == SEARCHES && searchAudits() == SEARCHES);
        // Settled, not passing through: a few flushes later the counts are still exact.
        Thread.sleep(3_000);
        assertThat(infrastructure.queryLong("select coalesce(sum(searches), 0) from query_stats where tenant_id = '"
                + TENANT + "'")).as("searches counted per query").isEqualTo(SEARCHES);
        assertThat(infrastructure.queryLong("select coalesce(sum(searches), 0) from search_stats where tenant_id = '"
                + TENANT + "'")).as("searches counted per mode").isEqualTo(SEARCHES);
        assertThat(infrastructure.queryLong("select coalesce(sum(zero_results), 0) from query_stats where tenant_id = '"
                + TENANT + "'")).as("searches without results").isEqualTo(SEARCHES / QUERIES.size());
        assertThat(searchAudits()).as("audit records of the searches").isEqualTo(SEARCHES);
    }

    /** Publishes the next batch of searches, round-robin over the queries and modes; returns how many were sent. */
    private static int publish(KafkaProducer<String, QueryExecuted> producer, int sent) throws Exception {
        int end = Math.min(SEARCHES, sent + BATCH);
        for (int i = sent; i < end; i++) {
            String query = QUERIES.get(i % QUERIES.size());
            boolean nothing = query.startsWith("zzqx");
            producer.send(new ProducerRecord<>(Topics.QUERIES.name(), TENANT, new QueryExecuted(UUID.randomUUID(),
                    TENANT, "hash-" + query, query, MODES.get(i % MODES.size()), null, 10, 0, Map.of(), 1_000 + i,
                    "miss", nothing ? List.of() : List.of("doc-" + i), List.of(), "key-1", "req-" + i, null,
                    Instant.now())));
        }
        producer.flush();
        Thread.sleep(50);
        return end;
    }

    private KafkaProducer<String, QueryExecuted> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), Topics.QUERIES.keySerde().serializer(),
                Topics.QUERIES.valueSerde().serializer());
    }

    private ServiceProcess start(Path jar, Path work, int port) {
        Map<String, String> properties = infrastructure.serviceProperties("invalidator", port, work.resolve("streams"));
        properties.put("docstream.analytics.flush-interval", "500ms");
        ServiceProcess process = ServiceProcess.start("invalidator", jar, null, work,
                List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), Map.of(), properties, port);
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(process::ready);
        return process;
    }

    private long countedSearches() throws SQLException {
        return infrastructure.queryLong("select coalesce(sum(searches), 0) from query_stats where tenant_id = '"
                + TENANT + "'");
    }

    private long searchAudits() throws SQLException {
        return infrastructure.queryLong("select count(*) from audit_log where tenant_id = '" + TENANT
                + "' and action = 'search'");
    }
}
