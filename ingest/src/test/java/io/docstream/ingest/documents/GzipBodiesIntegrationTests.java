package io.docstream.ingest.documents;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.ingest.IngestTestSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Producers may gzip a batch: it is inflated as it is read, the size cap holds for the inflated bytes (a zip bomb
 * is a 413, not an out-of-memory), a body that is not gzip is a 400 and an encoding other than gzip a 415, each as
 * problem+json; nothing of a refused batch reaches the topic.
 */
class GzipBodiesIntegrationTests extends IngestTestSupport {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aGzippedBatchIsAcceptedLikeAPlainOne() throws Exception {
        String batch = """
                [{"id": "gz-1", "title": "Compressed", "body": "Sent gzip-compressed by a producer."},
                 {"id": "gz-2", "title": "Compressed too", "body": "%s"}]
                """.formatted("Padding that compresses well. ".repeat(200));

        HttpResponse<String> answer = post(gzip(batch.getBytes(StandardCharsets.UTF_8)), "gzip");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        assertThat(commandsFor(TENANT, "gz-1")).hasSize(1);
        assertThat(commandsFor(TENANT, "gz-2")).hasSize(1);
    }

    @Test
    void aZipBombIsRefusedAs413AfterReadingNoMoreThanTheCap() throws Exception {
        byte[] inflated = new byte[40 * 1024 * 1024];
        Arrays.fill(inflated, (byte) ' ');
        inflated[0] = '[';
        byte[] bomb = gzip(inflated);
        assertThat(bomb.length).as("a few KB on the wire").isLessThan(100_000);
        long topicBefore = documentTopicSize();

        HttpResponse<String> answer = post(bomb, "gzip");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(413);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(documentTopicSize()).isEqualTo(topicBefore);
    }

    @Test
    void aBodyThatIsNotGzipAndAnUnknownEncodingAreProblems() throws Exception {
        byte[] plain = "[{\"id\": \"gz-3\", \"body\": \"not compressed\"}]".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> corrupt = post(plain, "gzip");
        HttpResponse<String> truncated = post(Arrays.copyOf(gzip(plain), 20), "gzip");
        HttpResponse<String> brotli = post(plain, "br");

        assertThat(corrupt.statusCode()).as(corrupt.body()).isEqualTo(400);
        assertThat(corrupt.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(truncated.statusCode()).as(truncated.body()).isEqualTo(400);
        assertThat(brotli.statusCode()).as(brotli.body()).isEqualTo(415);
        assertThat(json(brotli).path("detail").asString()).contains("br");
        assertThat(commandsFor(TENANT, "gz-3")).isEmpty();
    }

    private HttpResponse<String> post(byte[] body, String encoding) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/documents:batch"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + INGEST_KEY)
                .header("Content-Type", "application/json")
                .header("Content-Encoding", encoding)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(data);
        }
        return out.toByteArray();
    }
}
