package io.docstream.platform.web.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.redis.Redis;
import io.docstream.platform.redis.RedisConfiguration;
import io.docstream.platform.redis.RedisProperties;
import io.docstream.platform.redis.TestRedis;
import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.docstream.platform.tenancy.ApiKeys;
import io.docstream.platform.tenancy.Scope;
import io.docstream.platform.testing.ServiceArguments;
import io.docstream.platform.testing.TestDatabase;
import io.docstream.platform.web.ApiAccessRules;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rate limit filter in a small web app against a real Redis and PostgreSQL, with limits small enough to
 * reach (search: 5 per 10 s; admin: 2 per 10 s). A second instance of the app shares the Redis; the last test
 * stops Redis for real. Each test spends the budget of keys of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "docstream.web.rate-limit.search.requests=5", "docstream.web.rate-limit.search.period=10s",
        "docstream.web.rate-limit.admin.requests=2", "docstream.web.rate-limit.admin.period=10s",
        "docstream.web.rate-limit.redis-timeout=200ms" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RateLimitIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TestDatabase DATABASE = TestDatabase.shared();
    private static final TestRedis REDIS = TestRedis.start();
    private static ConfigurableApplicationContext secondInstance;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ApiKeys keys = new ApiKeys(DATABASE.dsl());

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        ServiceArguments.create().database(DATABASE).addTo(registry);
    }

    @BeforeAll
    static void startSecondInstance() {
        secondInstance = new SpringApplicationBuilder(TestApplication.class).run(ServiceArguments.create().anyPort()
                .database(DATABASE)
                .set("docstream.web.rate-limit.search.requests", 5)
                .set("docstream.web.rate-limit.search.period", "10s")
                .set("docstream.web.rate-limit.redis-timeout", "200ms")
                .commandLine());
    }

    @AfterAll
    static void stopServers() {
        if (secondInstance != null) {
            secondInstance.close();
        }
        REDIS.close();
    }

    @Test
    @Order(1)
    void aKeyOverItsLimitIsAnswered429WithRetryAfterAndTheRateLimitHeaders() throws Exception {
        String key = key(Scope.SEARCH);
        for (int left = 4; left >= 0; left--) {
            int remaining = left;
            HttpResponse<String> allowed = get(port, "/api/v1/echo", key);
            assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
            assertThat(allowed.headers().firstValue("RateLimit-Policy")).hasValue("\"search\";q=5;w=10");
            assertThat(allowed.headers().firstValue("RateLimit")).hasValueSatisfying(
                    value -> assertThat(value).startsWith("\"search\";r=" + remaining + ";t="));
        }

        HttpResponse<String> refused = get(port, "/api/v1/echo", key);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.path("type").asString()).isEqualTo("https://docstream.io/problems/rate-limited");
        assertThat(problem.path("status").asInt()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(
                seconds -> assertThat(seconds).isBetween(1L, 2L));
        assertThat(refused.headers().firstValue("RateLimit-Policy")).hasValue("\"search\";q=5;w=10");
        assertThat(refused.headers().firstValue("RateLimit")).hasValueSatisfying(
                value -> assertThat(value).matches("\"search\";r=0;t=(9|10)"));
        assertThat(refused.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(ttlMillis(RedisRateLimiter.key("search:" + keyId(key)))).isBetween(1L, 10_000L);
        assertThat(count("limited", "redis")).isPositive();
    }

    @Test
    @Order(2)
    void eachEndpointClassHasABudgetOfItsOwnAndUnlimitedPathsHaveNone() throws Exception {
        String key = key(Scope.SEARCH, Scope.ADMIN);
        assertThat(get(port, "/api/v1/admin", key).statusCode()).isEqualTo(200);
        assertThat(get(port, "/api/v1/admin", key).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = get(port, "/api/v1/admin", key);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("RateLimit-Policy")).hasValue("\"admin\";q=2;w=10");

        HttpResponse<String> search = get(port, "/api/v1/echo", key);
        assertThat(search.statusCode()).isEqualTo(200);
        assertThat(search.headers().firstValue("RateLimit")).hasValueSatisfying(
                value -> assertThat(value).startsWith("\"search\";r=4;"));
        HttpResponse<String> docs = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/v3/api-docs")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(docs.headers().firstValue("RateLimit")).isEmpty();
    }

    @Test
    @Order(3)
    void instancesSharingRedisShareOneBudget() throws Exception {
        String key = key(Scope.SEARCH);
        int otherPort = Integer.parseInt(secondInstance.getEnvironment().getProperty("local.server.port"));
        for (int i = 0; i < 3; i++) {
            assertThat(get(port, "/api/v1/echo", key).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> elsewhere = get(otherPort, "/api/v1/echo", key);
        assertThat(elsewhere.statusCode()).isEqualTo(200);
        assertThat(elsewhere.headers().firstValue("RateLimit")).hasValueSatisfying(
                value -> assertThat(value).startsWith("\"search\";r=1;"));
        assertThat(get(otherPort, "/api/v1/echo", key).statusCode()).isEqualTo(200);
        assertThat(get(otherPort, "/api/v1/echo", key).statusCode()).isEqualTo(429);
        assertThat(get(port, "/api/v1/echo", key).statusCode()).isEqualTo(429);
    }

    @Test
    @Order(4)
    void aSlowRedisDelaysARequestByTheTimeoutAtMostAndTheLocalLimiterDecides() throws Exception {
        String key = key(Scope.SEARCH);
        double allowedLocally = count("allowed", "local");
        RedisClient client = RedisClient.create(REDIS.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            // Keeps Redis busy for 2 s: every other client waits (or gets BUSY) meanwhile.
            RedisFuture<Long> busy = connection.async().eval("""
                    local start = redis.call('TIME')
                    local now = start
                    while (now[1] - start[1]) * 1000000 + (now[2] - start[2]) < 2000000 do
                      now = redis.call('TIME')
                    end
                    return 1
                    """, ScriptOutputType.INTEGER);
            Thread.sleep(300);

            long started = System.nanoTime();
            HttpResponse<String> response = get(port, "/api/v1/echo", key);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(took).isLessThan(Duration.ofMillis(1_200));
            assertThat(response.headers().firstValue("RateLimit")).hasValueSatisfying(
                    value -> assertThat(value).startsWith("\"search\";r=4;"));
            assertThat(count("allowed", "local")).isEqualTo(allowedLocally + 1);
            assertThat(busy.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
        } finally {
            client.shutdown();
        }
    }

    @Test
    @Order(5)
    void withRedisDownEachInstanceLimitsLocallyAndNothingFails() throws Exception {
        String key = key(Scope.SEARCH);
        double limitedLocally = count("limited", "local");
        REDIS.stop();
        try {
            List<Integer> statuses = new ArrayList<>();
            HttpResponse<String> last = null;
            for (int i = 0; i < 7; i++) {
                last = get(port, "/api/v1/echo", key);
                statuses.add(last.statusCode());
            }
            assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 429, 429);
            assertThat(last.headers().firstValue("Retry-After")).isPresent();
            assertThat(last.headers().firstValue("RateLimit")).hasValueSatisfying(
                    value -> assertThat(value).startsWith("\"search\";r=0;"));
            assertThat(count("limited", "local")).isEqualTo(limitedLocally + 2);
        } finally {
            REDIS.restart();
        }
    }

    private static long ttlMillis(String redisKey) {
        RedisClient client = RedisClient.create(REDIS.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().pttl(redisKey);
        } finally {
            client.shutdown();
        }
    }

    private double count(String outcome, String backend) {
        return meters.find(RateLimiter.DECISIONS_METER).tag("outcome", outcome).tag("backend", backend)
                .counters().stream().mapToDouble(counter -> counter.count()).sum();
    }

    private String key(Scope... scopes) {
        return keys.create("rate-tests", "rate", EnumSet.of(scopes[0], scopes)).plainKey();
    }

    private String keyId(String key) {
        return keys.authenticate(key).map(ApiKeyPrincipal::keyId).orElseThrow().toString();
    }

    private HttpResponse<String> get(int port, String path, String key) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class TestApplication {

        @Bean
        ApiAccessRules apiAccessRules() {
            return ApiAccessRules.builder()
                    .require("/api/v1/echo", Scope.SEARCH)
                    .require("/api/v1/admin", Scope.ADMIN)
                    .build();
        }

        /** A client with a long command timeout, so that only the rate limit's own timeout can cut a slow answer. */
        @Bean(destroyMethod = "shutdown")
        RedisClient redisClient() {
            return RedisConfiguration.createClient(new RedisProperties(REDIS.uri(), Duration.ofSeconds(5),
                    Duration.ofMillis(200), null));
        }

        @Bean(destroyMethod = "close")
        Redis redis(RedisClient client, MeterRegistry meters) {
            return new Redis(client, Duration.ofMillis(200), meters);
        }

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        EchoController echoController() {
            return new EchoController();
        }
    }

    @RestController
    static class EchoController {

        @GetMapping("/api/v1/echo")
        Map<String, String> echo(ApiKeyPrincipal principal) {
            return Map.of("tenant", principal.tenant());
        }

        @GetMapping("/api/v1/admin")
        Map<String, String> admin(ApiKeyPrincipal principal) {
            return Map.of("tenant", principal.tenant());
        }

        @GetMapping("/v3/api-docs")
        Map<String, String> apiDocs() {
            return Map.of("openapi", "3.1.0");
        }
    }
}
