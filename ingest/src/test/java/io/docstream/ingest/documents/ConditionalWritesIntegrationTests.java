package io.docstream.ingest.documents;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.ingest.IngestTestSupport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Optimistic concurrency for producers: a write with {@code If-Match} is accepted only while the document is at
 * the version the tag names; otherwise 412 and nothing is published. Of concurrent writes holding one tag, one wins.
 */
class ConditionalWritesIntegrationTests extends IngestTestSupport {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aWriteHoldingTheCurrentTagIsAcceptedAndAStaleTagIs412() throws Exception {
        String first = put("cw-1", null).headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> second = put("cw-1", first);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(202);
        String current = second.headers().firstValue("ETag").orElseThrow();
        assertThat(current).isNotEqualTo(first);

        HttpResponse<String> stale = put("cw-1", first);
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(stale.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(stale).path("type").asString()).endsWith("/precondition-failed");
        assertThat(send("DELETE", "cw-1", first).statusCode()).isEqualTo(412);
        assertThat(commandsFor(TENANT, "cw-1")).as("nothing published for the refused writes").hasSize(2);

        assertThat(put("cw-1", "W/" + current).statusCode()).as("a weak tag never matches").isEqualTo(412);
        assertThat(put("cw-1", "\"other\", " + current).statusCode()).as("any tag of the list").isEqualTo(202);
        assertThat(send("DELETE", "cw-1", "*").statusCode()).isEqualTo(202);
    }

    @Test
    void aTagOrStarForADocumentNeverWrittenIs412AndAMalformedTagIs400() throws Exception {
        assertThat(put("cw-never", "*").statusCode()).isEqualTo(412);
        assertThat(put("cw-never", "\"abc\"").statusCode()).isEqualTo(412);
        HttpResponse<String> malformed = put("cw-never", "abc");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed).path("detail").asString()).contains("If-Match");
        assertThat(commandsFor(TENANT, "cw-never")).isEmpty();
    }

    @Test
    void ofConcurrentWritesHoldingOneTagExactlyOneWins() throws Exception {
        String tag = put("cw-race", null).headers().firstValue("ETag").orElseThrow();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> put("cw-race", tag)));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : answers) {
                statuses.add(answer.get().statusCode());
            }
            assertThat(statuses).containsOnly(202, 412);
            assertThat(statuses.stream().filter(status -> status == 202)).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(commandsFor(TENANT, "cw-race")).hasSize(2);
    }

    private HttpResponse<String> put(String id, String ifMatch) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(id, ifMatch).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"title\": \"Conditional\", \"body\": \"Text of " + id
                        + ".\"}"));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String id, String ifMatch)
            throws IOException, InterruptedException {
        return http.send(request(id, ifMatch).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String id, String ifMatch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/api/v1/documents/" + id))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + INGEST_KEY);
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return request;
    }
}
