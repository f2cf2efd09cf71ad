package io.docstream.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP calls of the commands to one docstream service, with the API key as bearer token. The JSON calls turn an
 * unreachable service or an unexpected status into the command's own failure with one readable line (a problem
 * answer's {@code detail}), never a stack trace; {@link #exchange} returns any answer with its timing (benchmarks).
 */
public final class ServiceHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** JSON from the APIs, the Prometheus text format from the actuator. */
    private static final String ACCEPT = "application/json, text/plain";

    private final String baseUrl;
    private final String service;
    private final String apiKey;
    private final Duration timeout;
    private final Function<String, ? extends CommandFailure> failure;

    /** An answer whatever its status, and how long it took from sending to having read the whole body. */
    public record Answer(int status, String body, long nanos, JsonNode json) {
    }

    /**
     * @param baseUrl the service's URL, e.g. {@code http://localhost:8082} (a trailing slash is ignored)
     * @param service how errors name it, e.g. {@code the indexer}
     * @param failure the command's exception for a one-line message
     */
    public ServiceHttp(String baseUrl, String service, String apiKey, Duration timeout,
            Function<String, ? extends CommandFailure> failure) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.service = service;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.failure = failure;
    }

    public String url() {
        return baseUrl;
    }

    public URI uri(String pathAndQuery) {
        return URI.create(baseUrl + pathAndQuery);
    }

    /** The headers every call carries, for a load generator that writes its own requests. */
    public Map<String, String> headers() {
        return Map.of("Authorization", "Bearer " + apiKey, "Accept", ACCEPT);
    }

    /** GET; {@code expected} 0 accepts any 2xx status. */
    public JsonNode get(String pathAndQuery, int expected) {
        return checked(exchange("GET", pathAndQuery, null), "GET", pathAndQuery, expected);
    }

    /** POST of {@code body} as JSON (none when null). */
    public JsonNode post(String pathAndQuery, Object body, int expected) {
        return checked(exchange("POST", pathAndQuery, body), "POST", pathAndQuery, expected);
    }

    public JsonNode put(String pathAndQuery, Object body, int expected) {
        return checked(exchange("PUT", pathAndQuery, body), "PUT", pathAndQuery, expected);
    }

    public JsonNode delete(String pathAndQuery, int expected) {
        return checked(exchange("DELETE", pathAndQuery, null), "DELETE", pathAndQuery, expected);
    }

    /** A GET whose answer the caller judges itself. */
    public Answer exchange(String pathAndQuery) {
        return exchange("GET", pathAndQuery, null);
    }

    /** Sends {@code body} (none when null) as JSON; only an unreachable service is a failure. */
    public Answer exchange(String method, String pathAndQuery, Object body) {
        return exchange(method, pathAndQuery, body, Map.of());
    }

    /** As {@link #exchange(String, String, Object)}, with more request headers. */
    public Answer exchange(String method, String pathAndQuery, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery))
                .timeout(timeout)
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", ACCEPT);
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        long start = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw failure.apply("cannot reach " + service + " at " + baseUrl + " (" + e.getClass().getSimpleName()
                    + "). Is './docstream run' running?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure.apply("interrupted");
        }
        long nanos = System.nanoTime() - start;
        return new Answer(response.statusCode(), response.body(), nanos, json(response.body()));
    }

    /** {@code value} encoded for a URL's query string. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** {@code a=1&b=x%20y}, in the map's order. */
    public static String query(Map<String, String> parameters) {
        return parameters.entrySet().stream().map(entry -> entry.getKey() + "=" + encode(entry.getValue()))
                .collect(Collectors.joining("&"));
    }

    private JsonNode checked(Answer answer, String method, String pathAndQuery, int expected) {
        int status = answer.status();
        String path = uri(pathAndQuery).getPath();
        if (expected == 0 ? status / 100 != 2 : status != expected) {
            throw failure.apply(method + " " + path + " answered " + status + ": " + detail(answer));
        }
        if (answer.json() != null) {
            return answer.json();
        }
        if (answer.body() == null || answer.body().isBlank()) {
            return JSON.createObjectNode();
        }
        throw failure.apply(method + " " + path + " answered " + status + " with no JSON: " + abbreviated(answer.body()));
    }

    /** A problem answer's {@code detail}, else the start of the body. */
    private static String detail(Answer answer) {
        if (answer.json() != null && answer.json().path("detail").isString()) {
            return answer.json().path("detail").asString();
        }
        return abbreviated(answer.body());
    }

    private static JsonNode json(String body) {
        String start = body == null ? "" : body.stripLeading();
        if (!start.startsWith("{") && !start.startsWith("[")) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String abbreviated(String body) {
        return body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }
}
