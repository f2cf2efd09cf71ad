package io.docstream.embedding.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A remote embedding service at the protocol level only (the one fake the tests allow: such a service cannot run
 * here): it speaks the OpenAI embeddings protocol over real HTTP, answers each input with a vector derived from the
 * text, and can be told to fail, stall or hold requests, recording what it was sent.
 */
public final class FakeEmbeddingService implements AutoCloseable {

    public static final int DIMENSIONS = 4;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public record Request(String authorization, String model, List<String> inputs, long nanos) {
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger failureStatus = new AtomicInteger(503);
    private final AtomicReference<CountDownLatch> gate = new AtomicReference<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private volatile int dimensions = DIMENSIONS;

    public FakeEmbeddingService() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/v1/embeddings", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://localhost:" + server.getAddress().getPort() + "/v1/embeddings");
    }

    /** The next {@code times} requests are answered {@code status} with an error body. */
    public void fail(int times, int status) {
        failureStatus.set(status);
        failuresLeft.set(times);
    }

    /** Requests wait at the gate until it is opened (or 10 s pass). */
    public CountDownLatch hold() {
        CountDownLatch latch = new CountDownLatch(1);
        gate.set(latch);
        return latch;
    }

    public void answerDimensions(int dimensions) {
        this.dimensions = dimensions;
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    public int mostInFlight() {
        return mostInFlight.get();
    }

    /** The vector the service gives {@code text}, before the client normalises it. */
    public static float[] rawVector(String text, int dimensions) {
        float[] vector = new float[dimensions];
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            vector[i % dimensions] += (bytes[i] & 0xff) * (i + 1);
        }
        vector[0] += 1;
        return vector;
    }

    private void handle(HttpExchange exchange) throws IOException {
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            List<String> inputs = new ArrayList<>();
            body.path("input").forEach(input -> inputs.add(input.asString()));
            requests.add(new Request(exchange.getRequestHeaders().getFirst("Authorization"),
                    body.path("model").asString(), inputs, System.nanoTime()));
            CountDownLatch latch = gate.get();
            if (latch != null) {
                latch.await(10, TimeUnit.SECONDS);
            }
            if (failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                respond(exchange, failureStatus.get(), Map.of("error", Map.of("message", "induced failure")));
                return;
            }
            List<Map<String, Object>> data = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                data.add(Map.of("object", "embedding", "index", i, "embedding", rawVector(inputs.get(i), dimensions)));
            }
            respond(exchange, 200, Map.of("object", "list", "model", body.path("model").asString(), "data", data));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        CountDownLatch latch = gate.get();
        if (latch != null) {
            latch.countDown();
        }
        server.stop(0);
    }
}
