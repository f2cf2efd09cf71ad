package io.docstream.ingest.documents;

import static io.docstream.schemas.db.Tables.INDEXING_STATUS;
import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.ingest.IngestApplication;
import io.docstream.platform.tenancy.ApiKeys;
import io.docstream.platform.tenancy.Scope;
import io.docstream.platform.testing.ServiceArguments;
import io.docstream.platform.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With no broker reachable, ingest must say 503 and never claim acceptance. */
@SpringBootTest(classes = IngestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=ingest",
            "logging.level.org.apache.kafka=warn",
            "spring.kafka.bootstrap-servers=localhost:1",
            "spring.kafka.admin.operation-timeout=1s",
            "spring.kafka.admin.properties.request.timeout.ms=1000",
            "spring.kafka.admin.properties.default.api.timeout.ms=1000",
            "spring.kafka.producer.properties.max.block.ms=1000",
            "spring.kafka.producer.properties.request.timeout.ms=1000",
            "spring.kafka.producer.properties.delivery.timeout.ms=1500",
            "docstream.resilience.kafka-producer.timeout=2s",
            "docstream.ingest.retry-after=3s"})
class KafkaUnavailableIntegrationTests {

    private static final TestDatabase DATABASE = TestDatabase.shared();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        ServiceArguments.create().database(DATABASE).addTo(registry);
    }

    @Test
    void answersServiceUnavailableWithRetryAfterAndRecordsNothing() throws Exception {
        String key = new ApiKeys(DATABASE.dsl()).create("offline", "offline", Set.of(Scope.INGEST)).plainKey();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/documents"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\": \"lost\", \"body\": \"nowhere to go\"}"))
                .build();

        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("3");
        assertThat(response.body()).contains("https://docstream.io/problems/service-unavailable");
        assertThat(DATABASE.dsl().fetchCount(INDEXING_STATUS, INDEXING_STATUS.TENANT_ID.eq("offline"))).isZero();
    }
}
