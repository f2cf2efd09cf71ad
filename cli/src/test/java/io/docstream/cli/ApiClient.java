package io.docstream.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP calls the cache tests make, as a client would: each answer comes back with its real start and
 * end time (nanoTime), so a test can order reads against the moment a write was seen searchable.
 */
final class ApiClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final String apiKey;

    ApiClient(String apiKey) {
        this.apiKey = apiKey;
    }

    /** An answer with the instants (System.nanoTime) the request was sent and the response fully read. */
    record Answer(long startNanos, long endNanos, int status, String body, JsonNode json, HttpHeaders headers) {

        /**
         * The layer that answered: the {@code cache} field of a search, the {@code Docstream-Cache} header of a
         * document read; null when the answer names none.
         */
        String cache() {
            if (json != null && json.has("cache")) {
                return json.path("cache").asString();
            }
            return headers.firstValue("Docstream-Cache").orElse(null);
        }
    }

    Answer put(String url, Map<String, Object> document) {
        return send(request(url).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(document))));
    }

    Answer post(String url, Map<String, Object> body) {
        return send(request(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
    }

    /** A request with headers of the caller's choosing (an {@code Origin}, a preflight's), as a browser sends it. */
    Answer send(String method, String url, Map<String, String> headers) {
        HttpRequest.Builder request = request(url).method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return send(request);
    }

    Answer get(String url) {
        return send(request(url).GET());
    }

    /** A read carrying consistency tokens ({@code doc@version,...}) in the {@code Consistent-With} header. */
    Answer get(String url, String consistentWith) {
        HttpRequest.Builder request = request(url).GET();
        if (consistentWith != null && !consistentWith.isEmpty()) {
            request.header("Consistent-With", consistentWith);
        }
        return send(request);
    }

    Answer search(String baseUrl, String mode, String query, int k) {
        return search(baseUrl, mode, query, k, null);
    }

    Answer search(String baseUrl, String mode, String query, int k, String consistentWith) {
        return get(baseUrl + "/api/v1/search?mode=" + mode + "&k=" + k + "&q="
                + URLEncoder.encode(query, StandardCharsets.UTF_8), consistentWith);
    }

    private HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey);
    }

    private Answer send(HttpRequest.Builder request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            long end = System.nanoTime();
            String body = response.body();
            JsonNode node = body.startsWith("{") || body.startsWith("[") ? json.readTree(body) : null;
            return new Answer(start, end, response.statusCode(), body, node, response.headers());
        } catch (IOException e) {
            throw new IllegalStateException(request.build().uri() + " could not be reached", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
