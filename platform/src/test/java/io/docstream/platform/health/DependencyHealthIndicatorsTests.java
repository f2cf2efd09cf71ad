package io.docstream.platform.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.platform.redis.Redis;
import io.docstream.platform.redis.RedisConfiguration;
import io.docstream.platform.redis.TestRedis;
import io.docstream.platform.testing.TestDatabase;
import io.docstream.platform.testing.TestKafka;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** Each dependency indicator against the real thing, up and down, always with its latency. */
class DependencyHealthIndicatorsTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void kafkaIsUpWhileTheBrokerAnswersAndDownAfterItStopped() {
        EmbeddedKafkaKraftBroker kafka = TestKafka.start();
        try (KafkaHealthIndicator indicator = new KafkaHealthIndicator(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()), "test-health",
                TIMEOUT)) {
            Health up = indicator.health();
            HealthAssertions.assertUpWithLatency(up);
            assertThat(up.getDetails()).containsEntry("brokers", 1).containsKey("clusterId");

            kafka.destroy();
            Health down = indicator.health();
            HealthAssertions.assertDownWithLatency(down);
            assertThat((long) down.getDetails().get("latencyMs")).isLessThan(TIMEOUT.toMillis() + 1_000);
        } finally {
            kafka.destroy();
        }
    }

    @Test
    void databaseIsUpWhenAConnectionValidatesAndDownWhenNoneCanBeMade() {
        TestDatabase database = TestDatabase.shared();
        Health up = new DatabaseHealthIndicator(database.dataSource(), TIMEOUT).health();
        HealthAssertions.assertUpWithLatency(up);
        assertThat(up.getDetails()).containsEntry("database", "PostgreSQL");

        DataSource nowhere = new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/none", "docstream", "secret");
        Health down = new DatabaseHealthIndicator(nowhere, TIMEOUT).health();
        HealthAssertions.assertDownWithLatency(down);
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
            HealthAssertions.assertUpWithLatency(up);
            assertThat(up.getDetails()).containsEntry("ping", "PONG");

            server.stop();
            HealthAssertions.assertDownWithLatency(indicator.health());

            server.restart();
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(indicator.health().getStatus()).isEqualTo(Status.UP));
        } finally {
            server.close();
        }
    }
}
