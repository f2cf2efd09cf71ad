package io.docstream.ingest.documents;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.ingest.IngestTestSupport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** {@code docstream.ingest.requests} counts every document command by outcome and problem type. */
class IngestMetricsIntegrationTests extends IngestTestSupport {

    @Autowired
    private MeterRegistry meters;

    @Test
    void anAcceptedDocumentCountsOnceAndABatchCountsEachDocument() throws Exception {
        double before = count("accepted", "none");

        assertThat(postJson("/api/v1/documents", "{\"id\": \"" + id() + "\", \"body\": \"one\"}").statusCode())
                .isEqualTo(202);
        assertThat(postJson("/api/v1/documents:batch", "[{\"body\": \"a\"}, {\"body\": \"b\"}, {\"body\": \"c\"}]")
                .statusCode()).isEqualTo(202);

        assertThat(count("accepted", "none") - before).isEqualTo(4);
    }

    @Test
    void aRejectedDocumentCountsUnderItsProblemType() throws Exception {
        double invalid = count("rejected", "invalid-request");
        double malformed = count("rejected", "malformed-json");
        double unauthorized = count("rejected", "unauthorized");

        HttpResponse<String> noBody = postJson("/api/v1/documents", "{\"title\": \"no body\"}");
        HttpResponse<String> broken = postJson("/api/v1/documents", "{\"body\": ");
        HttpResponse<String> noKey = send("POST", "/api/v1/documents", null, "application/json", "{\"body\": \"x\"}");

        assertThat(noBody.statusCode()).isEqualTo(400);
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(count("rejected", "invalid-request") - invalid).isEqualTo(1);
        assertThat(count("rejected", "malformed-json") - malformed).isEqualTo(1);
        assertThat(count("rejected", "unauthorized") - unauthorized).isEqualTo(1);
    }

    @Test
    void aRejectedBatchCountsEveryDocumentItHeld() throws Exception {
        double before = count("rejected", "invalid-request");

        HttpResponse<String> response = postJson("/api/v1/documents:batch",
                "[{\"body\": \"fine\"}, {\"title\": \"no body\"}, {\"body\": \"fine too\"}]");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(count("rejected", "invalid-request") - before).isEqualTo(3);
    }

    @Test
    void statusReadsAreNotCommands() throws Exception {
        double accepted = count("accepted", "none");
        double rejected = count("rejected", "not-found");

        send("GET", "/api/v1/documents/" + id() + "/status", INGEST_KEY, null, null);

        assertThat(count("accepted", "none")).isEqualTo(accepted);
        assertThat(count("rejected", "not-found")).isEqualTo(rejected);
    }

    @Test
    void theCounterIsPublishedForPrometheusWithTheDocumentedName() throws Exception {
        postJson("/api/v1/documents", "{\"title\": \"no body\"}");

        String scrape = send("GET", "/actuator/prometheus", null, null, null).body();

        assertThat(scrape).containsPattern(
                "docstream_ingest_requests_total\\{[^}]*outcome=\"rejected\",reason=\"invalid-request\"[^}]*} \\d");
        assertThat(scrape).contains("http_server_requests_seconds_bucket");
    }

    private double count(String outcome, String reason) {
        Counter counter = meters.find(IngestMetrics.METER).tag("outcome", outcome).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String id() {
        return "metrics-" + UUID.randomUUID();
    }
}
