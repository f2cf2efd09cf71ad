package io.docstream.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends malformed and hostile requests to a service under test and checks the answer is the documented
 * problem: the expected 4xx, {@code application/problem+json}, a stable {@code type} and nothing internal
 * (no stack trace, exception class or SQL) in the body. Shared by the services' bad-input tables.
 */
public final class HostileRequests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What must never reach a client: traces, class names, SQL, driver names. */
    private static final List<String> INTERNALS = List.of("exception", "\tat ", "at io.docstream", "at org.", "java.",
            "tools.jackson", "org.springframework", "org.postgresql", "jooq", "psql", "select ", "insert into",
            "syntax error", "stacktrace", "\"trace\"");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    public HostileRequests(int port) {
        this.port = port;
    }

    /** One request; {@code headers} are sent as given (Authorization included), {@code body} may be null. */
    public HttpResponse<String> send(String method, String pathAndQuery, Map<String, String> headers, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Writes {@code requestHead} (request line and headers, without the blank line) and {@code body} on a raw socket
     * and returns the status and body of the answer, for requests an HTTP client refuses to make (a declared
     * length larger than what is sent, bytes no URI allows).
     */
    public RawResponse sendRaw(String requestHead, byte[] body) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((requestHead + "\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            String[] lines = head.split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
            // The server may keep the connection open to drain the body it refused, so read only the answer.
            String content;
            if (headers.containsKey("content-length")) {
                int length = Integer.parseInt(headers.get("content-length"));
                content = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                content = readChunked(in);
            } else {
                content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), headers, content);
        }
    }

    /** The status, headers (names lower-cased) and body of a raw answer. */
    public record RawResponse(int status, Map<String, String> headers, String body) {
    }

    /** Asserts the answer is the problem {@code slug} with {@code status}, and returns its body. */
    public static JsonNode assertProblem(HttpResponse<String> response, int status, String slug) {
        return assertProblem(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body(), status, slug);
    }

    public static JsonNode assertProblem(RawResponse response, int status, String slug) {
        return assertProblem(response.status(), response.headers().getOrDefault("content-type", ""), response.body(),
                status, slug);
    }

    private static JsonNode assertProblem(int actualStatus, String contentType, String body, int status, String slug) {
        assertThat(actualStatus).as("status of %s", body).isLessThan(500).isEqualTo(status);
        assertThat(contentType).as("content type of %s", body).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(body);
        assertThat(problem.path("type").asString()).as(body).isEqualTo(ProblemException.TYPE_BASE + slug);
        assertThat(problem.path("status").asInt()).as(body).isEqualTo(status);
        assertThat(problem.path("title").asString()).as(body).isNotBlank();
        assertThat(problem.path("detail").asString()).as(body).isNotBlank();
        assertNothingInternal(body);
        return problem;
    }

    /** Asserts a body shows no stack trace, exception class name, SQL or driver detail. */
    public static void assertNothingInternal(String body) {
        String lower = body.toLowerCase(Locale.ROOT);
        for (String internal : INTERNALS) {
            assertThat(lower).as("body must not show internals: %s", body).doesNotContain(internal);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int next = in.read();
            assertThat(next).as("an HTTP answer after: %s", head).isNotNegative();
            head.append((char) next);
        }
        return head.substring(0, head.length() - 4);
    }

    private static String readChunked(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
        while (true) {
            StringBuilder line = new StringBuilder();
            for (int next = in.read(); next != '\n'; next = in.read()) {
                assertThat(next).as("a complete chunked answer").isNotNegative();
                line.append((char) next);
            }
            int size = Integer.parseInt(line.toString().split(";")[0].strip(), 16);
            if (size == 0) {
                return content.toString(StandardCharsets.UTF_8);
            }
            content.write(in.readNBytes(size));
            in.readNBytes(2);
        }
    }
}
