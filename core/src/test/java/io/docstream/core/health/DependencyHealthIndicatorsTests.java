package io.docstream.core.health;

import io.docstream.core.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.core.cache.Redis;
import io.docstream.core.cache.RedisConfiguration;
import io.docstream.core.cache.TestRedis;
import io.docstream.core.embedding.Embedder;
import io.docstream.core.embedding.onnx.OnnxEmbedder;
import io.docstream.core.index.lucene.LuceneSearchIndex;
import io.docstream.core.testing.TestDatabase;
import io.docstream.core.testing.TestKafka;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** Each dependency indicator against the real thing, up and down, always with its latency. */
class DependencyHealthIndicatorsTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path temp;

    @Test
    void kafkaIsUpWhileTheBrokerAnswersAndDownAfterItStopped() {
        EmbeddedKafkaKraftBroker kafka = TestKafka.start();
        try (KafkaHealthIndicator indicator = new KafkaHealthIndicator(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()), "test-health",
                TIMEOUT)) {
            Health up = indicator.health();
            assertUpWithLatency(up);
            assertThat(up.getDetails()).containsEntry("brokers", 1).containsKey("clusterId");

            kafka.destroy();
            Health down = indicator.health();
            assertDownWithLatency(down);
            assertThat((long) down.getDetails().get("latencyMs")).isLessThan(TIMEOUT.toMillis() + 1_000);
        } finally {
            kafka.destroy();
        }
    }

    @Test
    void databaseIsUpWhenAConnectionValidatesAndDownWhenNoneCanBeMade() {
        TestDatabase database = TestDatabase.shared();
        Health up = new DatabaseHealthIndicator(database.dataSource(), TIMEOUT).health();
        assertUpWithLatency(up);
        assertThat(up.getDetails()).containsEntry("database", "PostgreSQL");

        DataSource nowhere = new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/none", "docstream", "secret");
        Health down = new DatabaseHealthIndicator(nowhere, TIMEOUT).health();
        assertDownWithLatency(down);
        assertThat(down.getDetails().toString()).doesNotContain("secret");
    }

    @Test
    void redisFollowsTheServerDownAndBackUp() {
        TestRedis server = TestRedis.start();
        try (Redis redis = new Redis(RedisConfiguration.createClient(server.properties()),
                server.properties().retryInterval(), null)) {
            RedisHealthIndicator indicator = new RedisHealthIndicator(redis, TIMEOUT);
            // The client connects on first use, which may take longer than one check on a busy machine.
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(indicator.health().getStatus()).isEqualTo(Status.UP));
            Health up = indicator.health();
            assertUpWithLatency(up);
            assertThat(up.getDetails()).containsEntry("ping", "PONG");

            server.stop();
            assertDownWithLatency(indicator.health());

            server.restart();
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(indicator.health().getStatus()).isEqualTo(Status.UP));
        } finally {
            server.close();
        }
    }

    @Test
    void theIndexIsUpWhileOpenAndDownOnceClosed() {
        LuceneSearchIndex index = new LuceneSearchIndex(temp.resolve("index"));
        SearchIndexHealthIndicator indicator = new SearchIndexHealthIndicator(index, TIMEOUT);
        Health up = indicator.health();
        assertUpWithLatency(up);
        assertThat(up.getDetails()).containsEntry("adapter", "lucene");

        index.close();
        assertDownWithLatency(indicator.health());
    }

    @Test
    void theModelIsAskedOncePerIntervalWhileHealthyAndAgainAfterAFailure() {
        CountingEmbedder model = new CountingEmbedder(OnnxEmbedder.forModel("all-minilm-l6-v2-q"));
        MutableClock clock = new MutableClock();
        EmbeddingModelHealthIndicator indicator = new EmbeddingModelHealthIndicator(model, Duration.ofSeconds(30),
                Duration.ofMinutes(1), clock);

        Health up = indicator.health();
        assertUpWithLatency(up);
        assertThat(up.getDetails()).containsEntry("model", "all-minilm-l6-v2-q").containsEntry("dimensions", 384);
        assertThat(indicator.health()).isEqualTo(up);
        assertThat(model.calls.get()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(2));
        model.failing = true;
        assertDownWithLatency(indicator.health());
        model.failing = false;
        assertUpWithLatency(indicator.health());
        assertThat(model.calls.get()).isEqualTo(3);
    }

    private static void assertUpWithLatency(Health health) {
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails().get("latencyMs")).isInstanceOf(Long.class);
        assertThat((long) health.getDetails().get("latencyMs")).isNotNegative();
    }

    private static void assertDownWithLatency(Health health) {
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsKeys("latencyMs", "error");
    }

    /** The real model, counting calls, and failing on demand as a broken runtime would. */
    private static final class CountingEmbedder implements Embedder {

        private final Embedder delegate;
        private final AtomicInteger calls = new AtomicInteger();
        private volatile boolean failing;

        CountingEmbedder(Embedder delegate) {
            this.delegate = delegate;
        }

        @Override
        public String modelId() {
            return delegate.modelId();
        }

        @Override
        public int dimensions() {
            return delegate.dimensions();
        }

        @Override
        public int maxTokens() {
            return delegate.maxTokens();
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            return delegate.embedDocuments(texts);
        }

        @Override
        public float[] embedQuery(String query) {
            calls.incrementAndGet();
            if (failing) {
                throw new IllegalStateException("model session closed");
            }
            return delegate.embedQuery(query);
        }
    }

}
