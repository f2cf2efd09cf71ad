package io.docstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.redis.TestRedis;
import io.docstream.platform.tenancy.ApiKeys;
import io.docstream.platform.tenancy.Scope;
import io.docstream.platform.testing.ServiceArguments;
import io.docstream.platform.testing.TestDatabase;
import io.docstream.platform.testing.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Two ingest instances with Redis configured spend one budget per key: a key allowed 5 writes per 10 minutes gets 5
 * accepted in all, not 5 from each instance.
 */
class SharedRateLimitsIntegrationTests {

    private static final TestDatabase DATABASE = TestDatabase.shared();
    private static EmbeddedKafkaKraftBroker kafka;
    private static TestRedis redis;
    private static final List<ConfigurableApplicationContext> INSTANCES = new ArrayList<>();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startTwoInstances() {
        kafka = TestKafka.start();
        redis = TestRedis.start();
        for (int i = 0; i < 2; i++) {
            INSTANCES.add(IngestApplication.builder().run(ServiceArguments.create().anyPort().database(DATABASE)
                    .kafka(kafka.getBrokersAsString()).redis(redis.uri())
                    .set("docstream.web.rate-limit.ingest.requests", 5)
                    .set("docstream.web.rate-limit.ingest.period", "10m")
                    .set("docstream.web.rate-limit.redis-timeout", "500ms")
                    .commandLine()));
        }
    }

    @AfterAll
    static void stop() {
        INSTANCES.forEach(ConfigurableApplicationContext::close);
        if (redis != null) {
            redis.close();
        }
        if (kafka != null) {
            kafka.destroy();
        }
    }

    @Test
    void aKeysBudgetIsSpentOnceAcrossInstances() throws Exception {
        String key = new ApiKeys(DATABASE.dsl()).create("acme", "shared-limit", Set.of(Scope.INGEST)).plainKey();
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> answer = post(INSTANCES.get(i % 2), key, "{\"id\":\"limited-" + i
                    + "\",\"title\":\"Limited\",\"body\":\"One write of a busy producer.\"}");
            if (answer.statusCode() == 202) {
                accepted++;
            } else {
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(429);
                refused++;
            }
        }

        assertThat(accepted).as("one budget of 5 for both instances").isEqualTo(5);
        assertThat(refused).isEqualTo(7);
    }

    private HttpResponse<String> post(ConfigurableApplicationContext instance, String key, String body)
            throws Exception {
        int port = ((WebServerApplicationContext) instance).getWebServer().getPort();
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/documents"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
