package io.docstream.ingest;

import static io.docstream.platform.web.HostileRequests.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.web.HostileRequests;
import io.docstream.platform.web.ProblemException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The bad-input table for ingest: every malformed or hostile request is answered with the documented 4xx
 * problem, never a 5xx, never with internals, and writes nothing; a document accepted before is still there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputIntegrationTests extends IngestTestSupport {

    private static final String JSON_TYPE = "application/json";
    private static final String NDJSON = "application/x-ndjson";
    private static final String SURVIVOR = "bad-input-survivor-" + UUID.randomUUID();
    private static List<String> commandsBefore;

    /** One row of the table: a request and the problem it must get. */
    record Case(String name, String method, String path, String key, String contentType, byte[] body, int status,
            String slug, String detailMentions) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> table() {
        String longId = "a".repeat(129);
        String hugeBody = "{\"body\": \"" + "x".repeat(1024 * 1024 + 1) + "\"}";
        byte[] invalidUtf8 = concat("{\"body\": \"caf".getBytes(StandardCharsets.UTF_8), new byte[] { (byte) 0xC3, 0x28 },
                "\"}".getBytes(StandardCharsets.UTF_8));
        byte[] invalidUtf8Line = concat("{\"body\": \"ok\"}\n{\"body\": \"caf".getBytes(StandardCharsets.UTF_8),
                new byte[] { (byte) 0xFF, (byte) 0xFE }, "\"}\n".getBytes(StandardCharsets.UTF_8));
        return Stream.of(
                // broken JSON
                post("truncated JSON", "{\"body\": \"x\"", 400, ProblemException.MALFORMED_JSON, "not valid JSON"),
                post("not JSON at all", "hello", 400, ProblemException.MALFORMED_JSON, "not valid JSON"),
                post("trailing garbage", "{\"body\": \"x\"} }", 400, ProblemException.MALFORMED_JSON, null),
                post("empty body", "", 400, ProblemException.INVALID_REQUEST, "body"),
                post("JSON null", "null", 400, ProblemException.INVALID_REQUEST, "JSON object"),
                post("array for a single document", "[{\"body\": \"x\"}]", 400, ProblemException.INVALID_REQUEST,
                        "JSON object"),
                // wrong JSON types
                post("number for title", "{\"title\": 5, \"body\": \"x\"}", 400, ProblemException.INVALID_REQUEST,
                        "'title'"),
                post("array for metadata", "{\"body\": \"x\", \"metadata\": [\"a\"]}", 400,
                        ProblemException.INVALID_REQUEST, "'metadata'"),
                post("object for id", "{\"id\": {\"$ne\": null}, \"body\": \"x\"}", 400,
                        ProblemException.INVALID_REQUEST, "'id'"),
                post("array for body", "{\"body\": [\"x\"]}", 400, ProblemException.INVALID_REQUEST, "'body'"),
                post("object as a metadata value", "{\"body\": \"x\", \"metadata\": {\"a\": {\"b\": 1}}}", 400,
                        ProblemException.INVALID_REQUEST, "Metadata values"),
                post("string for version", "{\"body\": \"x\", \"version\": \"7\"}", 400,
                        ProblemException.INVALID_REQUEST, "'version'"),
                post("negative version", "{\"body\": \"x\", \"version\": -1}", 400, ProblemException.INVALID_REQUEST,
                        "'version'"),
                post("fractional version", "{\"body\": \"x\", \"version\": 1.5}", 400, ProblemException.INVALID_REQUEST,
                        "'version'"),
                post("version beyond a long", "{\"body\": \"x\", \"version\": 99999999999999999999999}", 400,
                        ProblemException.INVALID_REQUEST, "'version'"),
                post("blank body", "{\"body\": \"  \\n\\t \"}", 400, ProblemException.INVALID_REQUEST, "blank"),
                // unknown fields
                post("unknown field", "{\"body\": \"x\", \"tenant\": \"umbrella\"}", 400,
                        ProblemException.INVALID_REQUEST, "'tenant'"),
                // huge
                post("document body over max-body-size", hugeBody, 413, ProblemException.PAYLOAD_TOO_LARGE,
                        "at most"),
                // invalid UTF-8 and invalid text
                new Case("invalid UTF-8 in a JSON body", "POST", "/api/v1/documents", INGEST_KEY, JSON_TYPE, invalidUtf8,
                        400, ProblemException.MALFORMED_JSON, null),
                new Case("invalid UTF-8 in an NDJSON body", "POST", "/api/v1/documents:batch", INGEST_KEY, NDJSON,
                        invalidUtf8Line, 400, ProblemException.MALFORMED_JSON, "UTF-8"),
                post("NUL in body", "{\"body\": \"a\\u0000b\"}", 400, ProblemException.INVALID_REQUEST, "'body'"),
                post("NUL in title", "{\"title\": \"t\\u0000\", \"body\": \"x\"}", 400,
                        ProblemException.INVALID_REQUEST, "'title'"),
                post("NUL in a metadata value", "{\"body\": \"x\", \"metadata\": {\"k\": \"\\u0000\"}}", 400,
                        ProblemException.INVALID_REQUEST, "Metadata values"),
                post("lone surrogate in body", "{\"body\": \"a\\ud800b\"}", 400, ProblemException.INVALID_REQUEST,
                        "'body'"),
                post("control character in id", "{\"id\": \"a\\u0007b\", \"body\": \"x\"}", 400,
                        ProblemException.INVALID_REQUEST, "'id'"),
                post("NUL in id", "{\"id\": \"a\\u0000\", \"body\": \"x\"}", 400, ProblemException.INVALID_REQUEST,
                        "'id'"),
                post("over-long id", "{\"id\": \"" + longId + "\", \"body\": \"x\"}", 400,
                        ProblemException.INVALID_REQUEST, "'id'"),
                // SQL injection in ids
                post("SQL injection in id", "{\"id\": \"' OR 1=1 --\", \"body\": \"x\"}", 400,
                        ProblemException.INVALID_REQUEST, "'id'"),
                post("SQL injection in id, drop table", "{\"id\": \"\\\"; DROP TABLE documents;--\", \"body\": \"x\"}",
                        400, ProblemException.INVALID_REQUEST, "'id'"),
                request("SQL injection in the path of PUT", "PUT", "/api/v1/documents/%27%20OR%201%3D1%20--", INGEST_KEY,
                        JSON_TYPE, "{\"body\": \"x\"}", 400, ProblemException.INVALID_REQUEST, "path"),
                request("SQL injection in the path of DELETE", "DELETE",
                        "/api/v1/documents/%22%3B%20DROP%20TABLE%20documents%3B--", INGEST_KEY, null, null, 400,
                        ProblemException.INVALID_REQUEST, "path"),
                request("SQL injection in the status path", "GET", "/api/v1/documents/%27%20OR%201%3D1%20--/status",
                        INGEST_KEY, null, null, 400, ProblemException.INVALID_REQUEST, "path"),
                request("unknown id in the status path", "GET", "/api/v1/documents/never-accepted-" + UUID.randomUUID()
                        + "/status", INGEST_KEY, null, null, 404, ProblemException.NOT_FOUND, null),
                request("over-long id in the path", "PUT", "/api/v1/documents/" + longId, INGEST_KEY, JSON_TYPE,
                        "{\"body\": \"x\"}", 400, ProblemException.INVALID_REQUEST, "path"),
                request("id in the body differs from the path", "PUT", "/api/v1/documents/one", INGEST_KEY, JSON_TYPE,
                        "{\"id\": \"two\", \"body\": \"x\"}", 400, ProblemException.INVALID_REQUEST, "path"),
                // query parameters
                request("non-numeric version on DELETE", "DELETE", "/api/v1/documents/abc?version=abc", INGEST_KEY,
                        null, null, 400, ProblemException.INVALID_REQUEST, "version"),
                request("negative version on DELETE", "DELETE", "/api/v1/documents/abc?version=-5", INGEST_KEY, null,
                        null, 400, ProblemException.INVALID_REQUEST, "version"),
                request("version beyond a long on DELETE", "DELETE",
                        "/api/v1/documents/abc?version=99999999999999999999999", INGEST_KEY, null, null, 400,
                        ProblemException.INVALID_REQUEST, "version"),
                request("invalid UTF-8 in the query string", "DELETE", "/api/v1/documents/abc?version=%FF%FE",
                        INGEST_KEY, null, null, 400, ProblemException.INVALID_REQUEST, null),
                // batches
                batch("batch that is an object", "{\"body\": \"x\"}", 400, "JSON array"),
                batch("empty batch", "[]", 400, "at least one"),
                batch("batch with one bad document", "[{\"body\": \"ok\"}, {\"body\": 5}]", 400, "Document 1"),
                batch("batch with an unknown field", "[{\"body\": \"ok\", \"extra\": true}]", 400, "'extra'"),
                request("NDJSON with a broken line", "POST", "/api/v1/documents:batch", INGEST_KEY, NDJSON,
                        "{\"body\": \"ok\"}\n{\"body\": \n", 400, ProblemException.MALFORMED_JSON, "Line 2"),
                request("empty NDJSON", "POST", "/api/v1/documents:batch", INGEST_KEY, NDJSON, "\n\n", 400,
                        ProblemException.INVALID_REQUEST, "at least one"),
                // method, media types
                request("unsupported method", "PATCH", "/api/v1/documents/abc", INGEST_KEY, JSON_TYPE,
                        "{\"body\": \"x\"}", 405, ProblemException.METHOD_NOT_ALLOWED, null),
                request("GET on the create endpoint", "GET", "/api/v1/documents", INGEST_KEY, null, null, 405,
                        ProblemException.METHOD_NOT_ALLOWED, null),
                request("text/plain body", "POST", "/api/v1/documents", INGEST_KEY, "text/plain", "{\"body\": \"x\"}",
                        415, ProblemException.UNSUPPORTED_MEDIA_TYPE, null),
                request("no Content-Type", "POST", "/api/v1/documents", INGEST_KEY, null, "{\"body\": \"x\"}", 415,
                        ProblemException.UNSUPPORTED_MEDIA_TYPE, null),
                request("XML body", "POST", "/api/v1/documents", INGEST_KEY, "application/xml", "<body>x</body>", 415,
                        ProblemException.UNSUPPORTED_MEDIA_TYPE, null),
                request("unknown path (no key may use a path without an access rule)", "GET", "/api/v1/nothing-here",
                        INGEST_KEY, null, null, 403, ProblemException.FORBIDDEN, null),
                // authorization
                request("missing Authorization", "POST", "/api/v1/documents", null, JSON_TYPE, "{\"body\": \"x\"}", 401,
                        ProblemException.UNAUTHORIZED, null),
                request("invalid key", "POST", "/api/v1/documents", "ds_not-a-real-key", JSON_TYPE, "{\"body\": \"x\"}",
                        401, ProblemException.UNAUTHORIZED, null),
                request("SQL injection as the key", "POST", "/api/v1/documents", "' OR 1=1 --", JSON_TYPE,
                        "{\"body\": \"x\"}", 401, ProblemException.UNAUTHORIZED, null),
                request("search key on ingest", "POST", "/api/v1/documents", SEARCH_KEY, JSON_TYPE, "{\"body\": \"x\"}",
                        403, ProblemException.FORBIDDEN, null));
    }

    @Test
    @Order(1)
    void acceptsADocumentBeforeTheHostileRequests() throws Exception {
        HttpResponse<String> response = postJson("/api/v1/documents",
                "{\"id\": \"" + SURVIVOR + "\", \"title\": \"Survivor\", \"body\": \"Still here after the storm.\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        commandsBefore = commandIds();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    @Order(2)
    void answersTheDocumentedProblem(Case request) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        if (request.key() != null) {
            headers.put("Authorization", "Bearer " + request.key());
        }
        if (request.contentType() != null) {
            headers.put("Content-Type", request.contentType());
        }
        HttpResponse<String> response = new HostileRequests(port).send(request.method(), request.path(), headers,
                request.body());

        JsonNode problem = assertProblem(response, request.status(), request.slug());
        if (request.detailMentions() != null) {
            assertThat(problem.get("detail").asString()).contains(request.detailMentions());
        }
    }

    @Test
    @Order(2)
    void refusesADeclaredBodyOverTheRequestSizeLimitBeforeReadingIt() throws Exception {
        HostileRequests.RawResponse response = new HostileRequests(port).sendRaw("POST /api/v1/documents HTTP/1.1\r\n"
                + "Authorization: Bearer " + INGEST_KEY + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + (64L * 1024 * 1024), "{\"body\": \"".getBytes(StandardCharsets.UTF_8));

        assertProblem(response, 413, ProblemException.PAYLOAD_TOO_LARGE);
    }

    @Test
    @Order(2)
    void refusesNotAcceptableAnswerFormats() throws Exception {
        HttpResponse<String> response = new HostileRequests(port).send("POST", "/api/v1/documents",
                Map.of("Authorization", "Bearer " + INGEST_KEY, "Content-Type", JSON_TYPE, "Accept", "application/xml"),
                "{\"body\": \"x\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(406);
        HostileRequests.assertNothingInternal(response.body());
    }

    @Test
    @Order(3)
    void nothingWasWrittenAndTheAcceptedDocumentIsStillThere() throws Exception {
        assertThat(commandsBefore).as("the first test ran").isNotNull().contains(TENANT + "/" + SURVIVOR);
        assertThat(commandIds()).as("no bad request reached Kafka").isEqualTo(commandsBefore);
        assertThat(commandsFor(TENANT, SURVIVOR)).singleElement()
                .satisfies(command -> assertThat(command.documentId()).isEqualTo(SURVIVOR));
        HttpResponse<String> status = send("GET", "/api/v1/documents/" + SURVIVOR + "/status", INGEST_KEY, null, null);
        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
    }

    /** Tenant and document id of every command on the documents topic, in topic order per partition. */
    private static List<String> commandIds() {
        return documentCommands().stream().map(record -> record.key().tenant() + "/" + record.key().documentId())
                .sorted().toList();
    }

    private static Case post(String name, String body, int status, String slug, String detailMentions) {
        return request(name, "POST", "/api/v1/documents", INGEST_KEY, JSON_TYPE, body, status, slug, detailMentions);
    }

    private static Case batch(String name, String body, int status, String detailMentions) {
        return request(name, "POST", "/api/v1/documents:batch", INGEST_KEY, JSON_TYPE, body, status,
                ProblemException.INVALID_REQUEST, detailMentions);
    }

    private static Case request(String name, String method, String path, String key, String contentType, String body,
            int status, String slug, String detailMentions) {
        return new Case(name, method, path, key, contentType,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), status, slug, detailMentions);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int position = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, position, part.length);
            position += part.length;
        }
        return all;
    }
}
