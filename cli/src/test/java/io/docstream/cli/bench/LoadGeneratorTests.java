package io.docstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.docstream.cli.bench.LoadGenerator.Answer;
import io.docstream.cli.bench.LoadGenerator.Result;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class LoadGeneratorTests {

    private static final byte[] BODY = "{\"results\":[],\"cache\":\"l1\"}".getBytes(StandardCharsets.UTF_8);
    private static final URI SEARCH = URI.create("http://localhost:8080/api/v1/search?mode=hybrid&q=a%20b");

    @Test
    void theBareServerAnswersTheSamePathWithTheCapturedBytesOverKeepAliveConnections() throws Exception {
        try (BareHttpServer bare = new BareHttpServer(BODY, "application/json", 2)) {
            LoadGenerator generator = new LoadGenerator(bare.url(SEARCH), Map.of("Authorization", "Bearer k"));

            Answer answer = generator.once();
            Result result = generator.closedLoop(2, Duration.ofMillis(300));

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(BODY);
            assertThat(answer.contentType()).isEqualTo("application/json");
            assertThat(result.requests()).isPositive();
            assertThat(result.errors()).isZero();
            assertThat(result.latencies().count()).isEqualTo((int) result.requests());
        }
    }

    @Test
    void readsChunkedAnswersAndSendsTheHeadersOnEveryRequest() throws Exception {
        List<String> keys = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", exchange -> {
            keys.add(exchange.getRequestHeaders().getFirst("Authorization") + " " + exchange.getRequestURI());
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(BODY, 0, 10);
                out.flush();
                out.write(BODY, 10, BODY.length - 10);
            }
        });
        server.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/search?q=x%20y");
            LoadGenerator generator = new LoadGenerator(url, Map.of("Authorization", "Bearer secret"));

            Answer answer = generator.once();
            Result result = generator.constantRate(1, 50, Duration.ofMillis(200));

            assertThat(answer.body()).isEqualTo(BODY);
            assertThat(result.errors()).isZero();
            assertThat(result.requests()).as("a constant rate sends on a schedule, not as fast as it can")
                    .isBetween(1L, 11L);
            assertThat(keys).allMatch(key -> key.equals("Bearer secret /api/v1/search?q=x%20y"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aServerErrorCountsAsAnError() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
        try {
            LoadGenerator generator = new LoadGenerator(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), Map.of());

            Result result = generator.closedLoop(1, Duration.ofMillis(100));

            assertThat(result.requests()).isPositive();
            assertThat(result.errors()).isEqualTo(result.requests());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aServerClosingTheConnectionAfterAnAnswerIsNotAnError() throws Exception {
        // As Tomcat does after every 100 requests on a keep-alive connection.
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", exchange -> {
            if (answered.incrementAndGet() % 3 == 0) {
                exchange.getResponseHeaders().add("Connection", "close");
            }
            exchange.sendResponseHeaders(200, BODY.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(BODY);
            }
        });
        server.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/search?q=x");
            Result result = new LoadGenerator(url, Map.of()).closedLoop(1, Duration.ofMillis(300));

            assertThat(result.requests()).isGreaterThan(6);
            assertThat(result.errors()).isZero();
        } finally {
            server.stop(0);
        }
    }
}
