package io.docstream.ingest.documents;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

class DocumentRequestParserTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DocumentRequestParser parser = new DocumentRequestParser(new IngestProperties(DataSize.ofBytes(10),
            5, 3, 8, 10, Duration.ofSeconds(1), Duration.ofSeconds(2)));

    @Test
    void keepsScalarMetadataAsStrings() {
        DocumentRequest request = parse("{\"body\": \"b\", \"metadata\": {\"n\": 1.5, \"ok\": true, \"s\": \"x\"}}");

        assertThat(request).isNotNull();
        assertThat(request.metadata()).isEqualTo(Map.of("n", "1.5", "ok", "true", "s", "x"));
        assertThat(request.title()).isEmpty();
        assertThat(request.id()).isNull();
        assertThat(request.version()).isNull();
    }

    @Test
    void reportsEveryViolationWithItsPointer() {
        List<Violation> violations = new ArrayList<>();
        parser.parse(JSON.readTree("{\"title\": \"too long\", \"version\": 0, \"extra\": 1}"), "/4", violations);

        assertThat(violations).extracting(Violation::pointer)
                .containsExactlyInAnyOrder("/4/extra", "/4/title", "/4/body", "/4/version");
    }

    @Test
    void measuresTheBodyInUtf8Bytes() {
        List<Violation> violations = new ArrayList<>();
        parser.parse(JSON.readTree("{\"body\": \"ééééé\"}"), "", new ArrayList<>());
        parser.parse(JSON.readTree("{\"body\": \"éééééé\"}"), "", violations);

        assertThat(violations).singleElement().satisfies(violation -> assertThat(violation.tooLarge()).isTrue());
        assertThat(DocumentRequestParser.utf8Length("a€😀")).isEqualTo(1 + 3 + 4);
    }

    @Test
    void refusesTooManyMetadataEntriesAndLongValues() {
        List<Violation> tooMany = new ArrayList<>();
        parser.parse(JSON.readTree("{\"body\": \"b\", \"metadata\": {\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4}}"), "",
                tooMany);
        List<Violation> tooLong = new ArrayList<>();
        parser.parse(JSON.readTree("{\"body\": \"b\", \"metadata\": {\"a\": \"123456789\"}}"), "", tooLong);

        assertThat(tooMany).hasSize(1);
        assertThat(tooLong).singleElement()
                .satisfies(violation -> assertThat(violation.pointer()).isEqualTo("/metadata/a"));
    }

    private DocumentRequest parse(String json) {
        List<Violation> violations = new ArrayList<>();
        DocumentRequest request = parser.parse(JSON.readTree(json), "", violations);
        assertThat(violations).isEmpty();
        return request;
    }
}
