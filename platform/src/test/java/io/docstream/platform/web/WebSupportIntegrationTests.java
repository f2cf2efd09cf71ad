package io.docstream.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.docstream.platform.tenancy.ApiKeys;
import io.docstream.platform.tenancy.Scope;
import io.docstream.platform.testing.ServiceArguments;
import io.docstream.platform.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "docstream.web.max-request-size=1KB",
        "spring.jackson.deserialization.fail-on-unknown-properties=true"})
class WebSupportIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static String searchKey;
    private static String ingestKey;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys apiKeys;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        ServiceArguments.create().database(TestDatabase.shared()).addTo(registry);
    }

    @BeforeAll
    static void keys() {
        ApiKeys keys = new ApiKeys(TestDatabase.shared().dsl());
        searchKey = keys.create("web-tests", "search", Set.of(Scope.SEARCH)).plainKey();
        ingestKey = keys.create("web-tests", "ingest", Set.of(Scope.INGEST)).plainKey();
    }

    @Test
    void requestsWithoutAKeyAreUnauthorizedProblems() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/echo?word=hi")).GET().build());

        assertProblem(response, 401, "unauthorized");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer"));
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void unknownKeysAreUnauthorizedAsInvalidTokens() throws Exception {
        HttpResponse<String> response = send(get("/api/v1/echo?word=hi", "ds_" + "A".repeat(43)));

        assertProblem(response, 401, "unauthorized");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).contains("invalid_token"));
    }

    @Test
    void keysWithoutTheNeededScopeAreForbidden() throws Exception {
        assertProblem(send(get("/api/v1/echo?word=hi", ingestKey)), 403, "forbidden");
    }

    @Test
    void apiPathsWithoutARuleAreForbiddenEvenToValidKeys() throws Exception {
        assertProblem(send(get("/api/v1/unruled", searchKey)), 403, "forbidden");
    }

    @Test
    void authorizedCallsReachTheControllerWithTheirPrincipalAndSecurityHeaders() throws Exception {
        HttpResponse<String> response = send(get("/api/v1/echo?word=hi", searchKey));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("tenant").asString()).isEqualTo("web-tests");
        assertThat(JSON.readTree(response.body()).get("word").asString()).isEqualTo("hi");
        assertThat(response.headers().map()).containsKeys("x-frame-options", "referrer-policy",
                "content-security-policy", "cache-control");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void everyAnswerCarriesTheCallersRequestIdOrANewOne() throws Exception {
        HttpResponse<String> given = send(HttpRequest.newBuilder(uri("/api/v1/echo?word=hi"))
                .header("Authorization", "Bearer " + searchKey).header("X-Request-Id", "client-42.a_b").GET().build());
        HttpResponse<String> forged = send(HttpRequest.newBuilder(uri("/api/v1/echo?word=hi"))
                .header("Authorization", "Bearer " + searchKey).header("X-Request-Id", "bad id;<script>").GET().build());
        HttpResponse<String> refused = send(get("/api/v1/echo?word=hi", "ds_unknown"));

        assertThat(given.headers().firstValue("X-Request-Id")).hasValue("client-42.a_b");
        assertThat(forged.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id)
                .matches("[0-9a-f-]{36}"));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void pathsOutsideTheApiNeedNoKey() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v3/api-docs")).GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void missingParametersAndBadParameterTypesAreInvalidRequests() throws Exception {
        assertProblem(send(get("/api/v1/echo", searchKey)), 400, "invalid-request");
        assertProblem(send(get("/api/v1/count?n=many", searchKey)), 400, "invalid-request");
    }

    @Test
    void malformedJsonIsAMalformedJsonProblem() throws Exception {
        assertProblem(send(post("/api/v1/things", "{\"name\": ", "application/json")), 400, "malformed-json");
    }

    @Test
    void unknownFieldsWrongTypesAndMissingBodiesAreInvalidRequests() throws Exception {
        HttpResponse<String> unknown = send(post("/api/v1/things", "{\"name\":\"a\",\"size\":1,\"colour\":\"red\"}",
                "application/json"));
        assertProblem(unknown, 400, "invalid-request");
        assertThat(JSON.readTree(unknown.body()).get("detail").asString()).contains("colour");

        assertProblem(send(post("/api/v1/things", "{\"name\":\"a\",\"size\":\"big\"}", "application/json")), 400,
                "invalid-request");
        assertProblem(send(post("/api/v1/things", "", "application/json")), 400, "invalid-request");
    }

    @Test
    void unsupportedMediaTypesAndMethodsAreProblems() throws Exception {
        assertProblem(send(post("/api/v1/things", "name=a", "application/x-www-form-urlencoded")), 415,
                "unsupported-media-type");
        assertProblem(send(HttpRequest.newBuilder(uri("/api/v1/echo?word=hi"))
                .header("Authorization", "Bearer " + searchKey)
                .method("DELETE", HttpRequest.BodyPublishers.noBody()).build()), 405, "method-not-allowed");
    }

    @Test
    void unknownPathsAreNotFoundProblems() throws Exception {
        assertProblem(send(HttpRequest.newBuilder(uri("/nothing-here")).GET().build()), 404, "not-found");
    }

    @Test
    void oversizeBodiesArePayloadTooLargeWhetherDeclaredOrStreamed() throws Exception {
        String large = "{\"name\":\"" + "x".repeat(2000) + "\"}";
        assertProblem(send(post("/api/v1/things", large, "application/json")), 413, "payload-too-large");

        HttpRequest streamed = HttpRequest.newBuilder(uri("/api/v1/things"))
                .header("Authorization", "Bearer " + ingestKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(large.getBytes())))
                .build();
        assertProblem(send(streamed), 413, "payload-too-large");
    }

    @Test
    void unexpectedErrorsAreInternalErrorsWithoutInternals() throws Exception {
        HttpResponse<String> response = send(get("/api/v1/boom", searchKey));

        assertProblem(response, 500, "internal-error");
        assertThat(response.body()).doesNotContain("secret-internal-state").doesNotContain("at io.docstream");
    }

    @Test
    void unavailableDependenciesAreServiceUnavailableWithRetryAfter() throws Exception {
        HttpResponse<String> response = send(get("/api/v1/unavailable", searchKey));

        assertProblem(response, 503, "service-unavailable");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
    }

    private void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("type").asString()).as(response.body()).isEqualTo("https://docstream.io/problems/" + slug);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
    }

    private HttpRequest get(String path, String key) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + key).GET().build();
    }

    private HttpRequest post(String path, String body, String contentType) {
        return HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + ingestKey)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class TestApplication {

        @Bean
        ApiAccessRules apiAccessRules() {
            return ApiAccessRules.builder()
                    .require(HttpMethod.POST, "/api/v1/things", Scope.INGEST)
                    .require("/api/v1/echo", Scope.SEARCH)
                    .require("/api/v1/count", Scope.SEARCH)
                    .require("/api/v1/boom", Scope.SEARCH)
                    .require("/api/v1/unavailable", Scope.SEARCH)
                    .build();
        }

        @Bean
        TestController testController() {
            return new TestController();
        }
    }

    @RestController
    static class TestController {

        record Thing(String name, int size) {
        }

        @GetMapping("/api/v1/echo")
        Map<String, String> echo(ApiKeyPrincipal principal, @RequestParam String word) {
            return Map.of("tenant", principal.tenant(), "word", word);
        }

        @GetMapping("/api/v1/count")
        Map<String, Integer> count(@RequestParam int n) {
            return Map.of("n", n);
        }

        @PostMapping(path = "/api/v1/things", consumes = "application/json")
        Thing create(@RequestBody Thing thing) {
            return thing;
        }

        @GetMapping("/api/v1/boom")
        String boom() {
            throw new IllegalStateException("secret-internal-state");
        }

        @GetMapping("/api/v1/unavailable")
        String unavailable() {
            throw ProblemException.serviceUnavailable("down for now", Duration.ofSeconds(7));
        }

        @GetMapping("/v3/api-docs")
        Map<String, String> apiDocs() {
            return Map.of("openapi", "3.1.0");
        }
    }
}
