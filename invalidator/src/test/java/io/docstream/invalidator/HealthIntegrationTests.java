package io.docstream.invalidator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.platform.redis.TestRedis;
import io.docstream.platform.testing.ServiceArguments;
import io.docstream.platform.testing.TestDatabase;
import io.docstream.platform.testing.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The invalidator's health names Kafka, PostgreSQL and Redis with their latency, and readiness follows Redis:
 * down (503) while it is stopped, up again once it is back.
 */
class HealthIntegrationTests {

    private static final TestDatabase database = TestDatabase.shared();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path temp;

    private static EmbeddedKafkaKraftBroker kafka;
    private static TestRedis redis;
    private static ConfigurableApplicationContext invalidator;
    private static int port;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        redis = TestRedis.start();
        invalidator = InvalidatorApplication.builder().run(ServiceArguments.create().anyPort().database(database)
                .kafka(kafka.getBrokersAsString()).redis(redis.uri())
                .set("docstream.streams.state-dir", temp.resolve("streams"))
                .commandLine());
        port = ((WebServerApplicationContext) invalidator).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        if (invalidator != null) {
            invalidator.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (kafka != null) {
            kafka.destroy();
        }
    }

    @Test
    void healthReportsKafkaPostgresAndRedisWithTheirLatency() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/actuator/health").statusCode() == 200);
        JsonNode components = JSON.readTree(get("/actuator/health").body()).get("components");

        for (String dependency : new String[] { "kafka", "db", "redis" }) {
            assertThat(components.get(dependency).get("status").asString()).as(dependency).isEqualTo("UP");
            assertThat(components.get(dependency).get("details").get("latencyMs").asLong()).as(dependency)
                    .isNotNegative();
        }
    }

    @Test
    void readinessFailsWhileRedisIsDownAndRecoversWhenItIsBack() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/actuator/health/readiness").statusCode() == 200);

        redis.stop();
        try {
            HttpResponse<String> down = get("/actuator/health/readiness");
            assertThat(down.statusCode()).isEqualTo(503);
            JsonNode redisHealth = JSON.readTree(down.body()).get("components").get("redis");
            assertThat(redisHealth.get("status").asString()).isEqualTo("DOWN");
            assertThat(redisHealth.get("details").has("latencyMs")).isTrue();
        } finally {
            redis.restart();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> get("/actuator/health/readiness").statusCode() == 200);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
