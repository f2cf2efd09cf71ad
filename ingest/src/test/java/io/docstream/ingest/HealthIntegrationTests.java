package io.docstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /actuator/health} names ingest's dependencies with their latency; readiness requires them. */
class HealthIntegrationTests extends IngestTestSupport {

    @Test
    void healthReportsKafkaAndPostgresWithTheirLatency() throws Exception {
        HttpResponse<String> response = send("GET", "/actuator/health", null, null, null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode components = json(response).get("components");
        for (String dependency : new String[] { "kafka", "db" }) {
            assertThat(components.get(dependency).get("status").asString()).isEqualTo("UP");
            assertThat(components.get(dependency).get("details").get("latencyMs").asLong()).isNotNegative();
        }
        assertThat(components.get("kafka").get("details").get("brokers").asInt()).isEqualTo(1);
        assertThat(response.body()).doesNotContain(DATABASE.password() + "\"");
    }

    @Test
    void readinessIsMadeOfKafkaAndPostgres() throws Exception {
        HttpResponse<String> response = send("GET", "/actuator/health/readiness", null, null, null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("components").propertyNames())
                .containsExactlyInAnyOrder("readinessState", "kafka", "db");
    }
}
