package io.docstream.ingest.documents;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.docstream.platform.errors.InvalidInputException;
import io.docstream.platform.errors.MalformedInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.util.unit.DataSize;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fuzzes ingest request parsing, single documents and NDJSON batches: whatever the bytes, the answer is
 * either a document that keeps every documented bound or one {@link Violation} or more (or, for bytes that
 * are not JSON, the documented malformed-JSON rejection); no other exception escapes. Regression inputs live
 * under {@code DocumentRequestParserFuzzTestsInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class DocumentRequestParserFuzzTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final IngestProperties LIMITS = new IngestProperties(DataSize.ofBytes(64), 16, 4, 16, 8,
            Duration.ofSeconds(1), Duration.ofSeconds(2));
    private static final DocumentRequestParser PARSER = new DocumentRequestParser(LIMITS);

    @FuzzTest(maxDuration = "60s")
    void aSingleDocumentIsValidOrRejectedWithViolations(byte[] body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JacksonException e) {
            return; // answered 400 malformed-json by the problem advice
        }
        checkParse(node, "");
    }

    @FuzzTest(maxDuration = "60s")
    void anNdjsonBatchIsValidOrRejected(FuzzedDataProvider data) throws IOException {
        byte[] body = data.consumeRemainingAsBytes();
        List<JsonNode> documents;
        try {
            documents = PARSER.readNdjson(new ByteArrayInputStream(body), JSON);
        } catch (MalformedInputException | InvalidInputException e) {
            // refused as bad input, a 400 (malformed-json or invalid-request); anything else is a finding
            return;
        }
        assertThat(documents).hasSizeBetween(1, LIMITS.maxBatchSize());
        assertThat(new String(body, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8))
                .as("an accepted batch is valid UTF-8").isEqualTo(body);
        for (int i = 0; i < documents.size(); i++) {
            checkParse(documents.get(i), "/" + i);
        }
    }

    private static void checkParse(JsonNode node, String pointer) {
        List<Violation> violations = new ArrayList<>();
        DocumentRequest request = PARSER.parse(node, pointer, violations);

        if (request == null) {
            assertThat(violations).isNotEmpty().allSatisfy(violation -> {
                assertThat(violation.pointer()).startsWith(pointer);
                assertThat(violation.detail()).isNotBlank();
            });
            return;
        }
        assertThat(violations).isEmpty();
        assertThat(request.id() == null || DocumentRequestParser.isValidId(request.id())).isTrue();
        assertThat(request.version() == null || request.version() >= 1).isTrue();
        assertThat(request.title()).isNotNull().hasSizeLessThanOrEqualTo(LIMITS.maxTitleLength());
        assertThat(DocumentRequestParser.isStorableText(request.title())).isTrue();
        assertThat(request.body()).isNotBlank();
        assertThat(DocumentRequestParser.isStorableText(request.body())).isTrue();
        assertThat(DocumentRequestParser.utf8Length(request.body()))
                .isEqualTo(request.body().getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(LIMITS.maxBodySize().toBytes());
        assertThat(request.metadata()).hasSizeLessThanOrEqualTo(LIMITS.maxMetadataEntries());
        for (Map.Entry<String, String> entry : request.metadata().entrySet()) {
            assertThat(entry.getKey()).matches("[A-Za-z0-9_.-]{1,64}");
            assertThat(entry.getValue()).hasSizeLessThanOrEqualTo(LIMITS.maxMetadataValueLength());
            assertThat(DocumentRequestParser.isStorableText(entry.getValue())).isTrue();
        }
        assertThat(node.propertyNames()).allMatch(field -> List.of("id", "title", "body", "metadata", "version")
                .contains(field));
    }
}
