package io.docstream.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON calls of the operator commands to one docstream service, authenticated with an API key. An
 * unreachable service or an unexpected status becomes the command's own exception with one readable line
 * (a problem answer's {@code detail}), never a stack trace.
 */
public final class AdminHttp {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper mapper;
    private final String apiKey;
    private final String baseUrl;
    private final String service;
    private final Duration timeout;
    private final Function<String, ? extends RuntimeException> failure;

    /**
     * @param baseUrl  the service's URL, e.g. {@code http://localhost:8082} (a trailing slash is ignored)
     * @param service  how errors name it, e.g. {@code the indexer}
     * @param failure  the command's exception for a one-line message
     */
    public AdminHttp(JsonMapper mapper, String apiKey, String baseUrl, String service, Duration timeout,
            Function<String, ? extends RuntimeException> failure) {
        this.mapper = mapper;
        this.apiKey = apiKey;
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.service = service;
        this.timeout = timeout;
        this.failure = failure;
    }

    public JsonMapper mapper() {
        return mapper;
    }

    public JsonNode get(String pathAndQuery, int expected) {
        return send(request(pathAndQuery).GET(), expected);
    }

    public JsonNode post(String pathAndQuery, JsonNode body, int expected) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body));
        return send(request(pathAndQuery).header("Content-Type", "application/json").POST(publisher), expected);
    }

    public JsonNode delete(String pathAndQuery, int expected) {
        return send(request(pathAndQuery).DELETE(), expected);
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(timeout)
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", "application/json");
    }

    /** Sends the request; {@code expected} 0 accepts any 2xx status. */
    private JsonNode send(HttpRequest.Builder builder, int expected) {
        HttpRequest request = builder.build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw failure.apply("cannot reach " + service + " at " + baseUrl + " (" + e.getClass().getSimpleName()
                    + "). Is './docstream run' running?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure.apply("interrupted");
        }
        int status = response.statusCode();
        if (expected == 0 ? status / 100 != 2 : status != expected) {
            throw failure.apply(request.method() + " " + request.uri().getPath() + " answered " + status + ": "
                    + detail(response));
        }
        String body = response.body();
        return body == null || body.isBlank() ? mapper.createObjectNode() : mapper.readTree(body);
    }

    private String detail(HttpResponse<String> response) {
        try {
            JsonNode problem = mapper.readTree(response.body());
            if (problem.path("detail").isString()) {
                return problem.path("detail").asString();
            }
        } catch (JacksonException e) {
            // not a problem document; show the start of the body below
        }
        String body = response.body();
        return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }
}
