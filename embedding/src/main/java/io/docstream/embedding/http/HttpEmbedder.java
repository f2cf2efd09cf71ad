package io.docstream.embedding.http;

import io.docstream.embedding.Embedder;
import io.docstream.platform.resilience.RemoteCall;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An {@link Embedder} calling a remote embedding service over the OpenAI embeddings protocol. Every request
 * passes the {@code embedder} guard: at most {@code max-concurrent} at once, refused at once while the breaker is
 * open, and retried with exponential backoff and jitter when the service fails transiently (a connection error,
 * a timeout, 408, 429 or 5xx): embedding is idempotent. Those failures surface as
 * {@link EmbeddingUnavailableException}, which pauses the indexer instead of dead-lettering the document. A 400,
 * 413 or 422 rejects the text itself and surfaces as {@link IllegalArgumentException}, never retried. Vectors are
 * L2-normalised here, whatever the service returns.
 */
public final class HttpEmbedder implements Embedder {

    /** Model ids of this kind are {@code http:<the service's model name>}. */
    public static final String PREFIX = "http:";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String modelId;
    private final String remoteModel;
    private final HttpEmbeddingProperties properties;
    private final RemoteCall guard;
    private final HttpClient client;

    public HttpEmbedder(String modelId, HttpEmbeddingProperties properties, RemoteCall guard, HttpClient client) {
        if (!modelId.startsWith(PREFIX) || modelId.length() == PREFIX.length()) {
            throw new IllegalArgumentException("HTTP embedding model ids look like 'http:<model>', not '" + modelId + "'");
        }
        properties.requireUsable(modelId);
        this.modelId = modelId;
        this.remoteModel = modelId.substring(PREFIX.length());
        this.properties = properties;
        this.guard = Objects.requireNonNull(guard, "guard");
        this.client = Objects.requireNonNull(client, "client");
    }

    /** Failures worth a retry and counted against the breaker. */
    public static boolean transientFailure(Throwable failure) {
        return failure instanceof EmbeddingUnavailableException;
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public int dimensions() {
        return properties.dimensions();
    }

    @Override
    public int maxTokens() {
        return properties.maxTokens();
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += properties.batchSize()) {
            List<String> inputs = texts.subList(from, Math.min(texts.size(), from + properties.batchSize())).stream()
                    .map(text -> properties.documentPrefix() + text)
                    .toList();
            vectors.addAll(embed(inputs));
        }
        return vectors;
    }

    @Override
    public float[] embedQuery(String query) {
        return embed(List.of(properties.queryPrefix() + query)).getFirst();
    }

    private List<float[]> embed(List<String> inputs) {
        return guard.callIdempotent(() -> request(inputs), refused -> new EmbeddingUnavailableException(
                "the embedding service is not called for now: " + refused.getMessage(), refused));
    }

    private List<float[]> request(List<String> inputs) {
        HttpRequest.Builder request = HttpRequest.newBuilder(properties.url())
                .timeout(guard.policy().getTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(
                        JSON.writeValueAsBytes(Map.of("model", remoteModel, "input", inputs))));
        if (properties.apiKey() != null && !properties.apiKey().isBlank()) {
            request.header("Authorization", "Bearer " + properties.apiKey());
        }
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new EmbeddingUnavailableException("the embedding service at " + properties.url()
                    + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddingUnavailableException("interrupted while waiting for the embedding service", e);
        }
        int status = response.statusCode();
        if (status == 400 || status == 413 || status == 422) {
            throw new IllegalArgumentException("the embedding service rejected the text (HTTP " + status + "): "
                    + excerpt(response.body()));
        }
        if (status != 200) {
            throw new EmbeddingUnavailableException("the embedding service answered HTTP " + status + ": "
                    + excerpt(response.body()), null);
        }
        return vectors(response.body(), inputs.size());
    }

    /** The vectors in input order, normalised; an answer of the wrong shape is a broken service, not bad text. */
    private List<float[]> vectors(byte[] body, int expected) {
        JsonNode data;
        try {
            data = JSON.readTree(body).path("data");
        } catch (JacksonException e) {
            throw new EmbeddingUnavailableException("the embedding service answered with invalid JSON", e);
        }
        if (!data.isArray() || data.size() != expected) {
            throw new EmbeddingUnavailableException("the embedding service answered " + data.size()
                    + " embeddings for " + expected + " inputs", null);
        }
        float[][] vectors = new float[expected][];
        for (JsonNode item : data) {
            int index = item.path("index").asInt(-1);
            JsonNode embedding = item.path("embedding");
            if (index < 0 || index >= expected || vectors[index] != null || !embedding.isArray()) {
                throw new EmbeddingUnavailableException("the embedding service answered a malformed item", null);
            }
            if (embedding.size() != properties.dimensions()) {
                throw new IllegalStateException("model '" + modelId + "' answered " + embedding.size()
                        + " dimensions, docstream.embedding.http.dimensions says " + properties.dimensions());
            }
            vectors[index] = normalised(embedding);
        }
        return List.of(vectors);
    }

    private static float[] normalised(JsonNode embedding) {
        float[] vector = new float[embedding.size()];
        double sum = 0;
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) embedding.get(i).asDouble();
            sum += (double) vector[i] * vector[i];
        }
        if (sum > 0) {
            float norm = (float) Math.sqrt(sum);
            for (int i = 0; i < vector.length; i++) {
                vector[i] /= norm;
            }
        }
        return vector;
    }

    private static String excerpt(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
