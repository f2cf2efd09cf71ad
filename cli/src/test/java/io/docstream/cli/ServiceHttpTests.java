package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The one HTTP helper of the commands, against a stub service. */
class ServiceHttpTests {

    /** What the stub service received. */
    private record Received(String method, String path, String authorization, String contentType, String body) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private ServiceHttp http;

    @BeforeEach
    void startStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ok", exchange -> answer(exchange, 202, "application/json", "{\"version\":3}"));
        server.createContext("/problem", exchange -> answer(exchange, 400, "application/problem+json",
                "{\"title\":\"Bad Request\",\"detail\":\"Unknown scope 'root'\"}"));
        server.createContext("/text", exchange -> answer(exchange, 200, "text/plain", "metric_total 7\n"));
        server.createContext("/empty", exchange -> answer(exchange, 204, null, ""));
        server.start();
        http = new ServiceHttp("http://localhost:" + server.getAddress().getPort() + "/", "the stub",
                "ds_key", Duration.ofSeconds(5), CommandFailure::new);
    }

    @AfterEach
    void stopStub() {
        server.stop(0);
    }

    @Test
    void sendsJsonWithTheBearerKeyAndReturnsTheAnswer() {
        JsonNode answer = http.post("/ok?x=1", Map.of("title", "T"), 202);

        assertThat(answer.path("version").asInt()).isEqualTo(3);
        assertThat(received).containsExactly(new Received("POST", "/ok", "Bearer ds_key", "application/json",
                "{\"title\":\"T\"}"));
    }

    @Test
    void anUnexpectedStatusIsOneLineWithTheProblemsDetail() {
        assertThatThrownBy(() -> http.post("/problem", null, 201)).isInstanceOf(CommandFailure.class)
                .hasMessage("POST /problem answered 400: Unknown scope 'root'");
        assertThatThrownBy(() -> http.get("/ok", 200)).hasMessageStartingWith("GET /ok answered 202");
    }

    @Test
    void zeroAcceptsAny2xxAndAnEmptyAnswerIsAnEmptyObject() {
        assertThat(http.get("/ok", 0).path("version").asInt()).isEqualTo(3);
        assertThat(http.delete("/empty", 204).isEmpty()).isTrue();
    }

    @Test
    void exchangeReturnsAnyStatusWithTheBodyAndHowLongItTook() {
        ServiceHttp.Answer problem = http.exchange("/problem");
        ServiceHttp.Answer text = http.exchange("/text");

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.json().path("detail").asString()).isEqualTo("Unknown scope 'root'");
        assertThat(problem.nanos()).isPositive();
        assertThat(text.body()).isEqualTo("metric_total 7\n");
        assertThat(text.json()).as("not JSON").isNull();
    }

    @Test
    void anUnreachableServiceIsTheCommandsFailureNamingIt() {
        server.stop(0);

        assertThatThrownBy(() -> http.exchange("/ok")).isInstanceOf(CommandFailure.class)
                .hasMessageStartingWith("cannot reach the stub at http://localhost:" + server.getAddress().getPort()
                        + " (");
    }

    @Test
    void givesALoadGeneratorTheSameHeaders() {
        assertThat(http.headers()).containsEntry("Authorization", "Bearer ds_key").containsKey("Accept");
        assertThat(http.uri("/a?b=c").toString()).isEqualTo(http.url() + "/a?b=c");
        assertThat(ServiceHttp.query(Map.of("q", "a b&c"))).isEqualTo("q=a+b%26c");
    }

    private void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Content-Type"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
