package io.docstream.cli.bench;

import io.docstream.cli.CommandFailure;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Timed HTTP calls to the services, authenticated with one API key. */
final class BenchHttp {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper mapper;
    private final String apiKey;

    BenchHttp(JsonMapper mapper, String apiKey) {
        this.mapper = mapper;
        this.apiKey = apiKey;
    }

    /** An answer and how long it took, from sending the request to having read the whole body. */
    record Timed(int status, String body, long nanos, JsonNode json) {
    }

    Timed get(String url) {
        return send(request(url).GET().build());
    }

    Timed sendJson(String method, String url, Object body) {
        return send(request(url).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body))).build());
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", "application/json, text/plain");
    }

    private Timed send(HttpRequest request) {
        long start = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new BenchException("cannot reach " + request.uri().getScheme() + "://" + request.uri().getAuthority()
                    + " (" + e.getClass().getSimpleName() + "). Is './docstream run' running?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
        long nanos = System.nanoTime() - start;
        String body = response.body();
        JsonNode json = body.startsWith("{") || body.startsWith("[") ? mapper.readTree(body) : null;
        return new Timed(response.statusCode(), body, nanos, json);
    }

    /** A failure the benchmark reports as one line, without a stack trace. */
    static final class BenchException extends CommandFailure {
        BenchException(String message) {
            super(message);
        }
    }
}
