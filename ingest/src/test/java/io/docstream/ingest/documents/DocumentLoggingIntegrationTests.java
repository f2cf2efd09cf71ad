package io.docstream.ingest.documents;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.ingest.IngestTestSupport;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Ingest logs JSON lines (ECS) carrying the tenant and document id of the request, and never the document's
 * text. The command log is at debug level, switched on here.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = "logging.level.io.docstream.ingest.documents=debug")
class DocumentLoggingIntegrationTests extends IngestTestSupport {

    @Test
    void aPostLogsAJsonLineWithTenantAndDocumentIdButNotTheText(CapturedOutput output) throws Exception {
        String id = "logged-" + UUID.randomUUID();
        String title = "Confidential title " + UUID.randomUUID();
        String body = "Confidential body " + UUID.randomUUID();

        assertThat(postJson("/api/v1/documents", """
                {"id": "%s", "title": "%s", "body": "%s"}""".formatted(id, title, body)).statusCode())
                .isEqualTo(202);

        List<JsonNode> lines = output.getOut().lines()
                .filter(line -> line.startsWith("{"))
                .map(JSON::readTree)
                .toList();
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("message").asString()).startsWith("accepted 1 command(s)");
            assertThat(line.path("tenant").asString()).isEqualTo(TENANT);
            assertThat(line.path("documentId").asString()).isEqualTo(id);
            assertThat(line.path("requestId").asString()).isNotBlank();
            assertThat(line.path("log").path("level").asString()).isEqualTo("DEBUG");
        });
        assertThat(output.getAll()).doesNotContain(title).doesNotContain(body).doesNotContain(INGEST_KEY);
    }
}
