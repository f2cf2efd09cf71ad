package io.docstream.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code /actuator/health} names every dependency of the query API with its latency; readiness requires
 * PostgreSQL, the index and the model, not Redis, since searches degrade without it.
 */
class HealthIntegrationTests extends QueryApiTestSupport {

    @Test
    void healthReportsEveryDependencyWithItsLatency() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/actuator/health", null).statusCode() == 200);
        JsonNode components = json(get("/actuator/health", null)).get("components");

        for (String dependency : new String[] { "kafka", "db", "redis", "index", "model" }) {
            assertThat(components.get(dependency).get("status").asString()).as(dependency).isEqualTo("UP");
            assertThat(components.get(dependency).get("details").get("latencyMs").asLong()).as(dependency)
                    .isNotNegative();
        }
        assertThat(components.get("index").get("details").get("adapter").asString()).isNotBlank();
        assertThat(components.get("model").get("details").get("model").asString()).isEqualTo(embedder.modelId());
    }

    @Test
    void readinessStaysUpWithoutRedisWhileHealthReportsItDown() throws Exception {
        JsonNode readiness = json(get("/actuator/health/readiness", null));
        assertThat(readiness.get("components").propertyNames())
                .containsExactlyInAnyOrder("readinessState", "db", "index", "model");

        REDIS.stop();
        try {
            HttpResponse<String> health = get("/actuator/health", null);
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(json(health).get("components").get("redis").get("status").asString()).isEqualTo("DOWN");
            assertThat(json(health).get("components").get("redis").get("details").has("latencyMs")).isTrue();
            assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
        } finally {
            REDIS.restart();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/actuator/health", null).statusCode() == 200);
    }
}
