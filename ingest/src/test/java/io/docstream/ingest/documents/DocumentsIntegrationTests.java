package io.docstream.ingest.documents;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.ingest.IngestTestSupport;
import io.docstream.schemas.events.DeleteDocument;
import io.docstream.schemas.events.UpsertDocument;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DocumentsIntegrationTests extends IngestTestSupport {

    @Test
    void postedDocumentIsAcceptedAndItsCommandIsOnTheDocumentsTopic() throws Exception {
        String id = uniqueId();
        HttpResponse<String> response = postJson("/api/v1/documents", """
                {"id": "%s", "title": "Kafka", "body": "Logs all the way down.",
                 "metadata": {"lang": "en", "stars": 5, "draft": false}, "version": 7}
                """.formatted(id));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode accepted = json(response);
        assertThat(accepted.get("id").asString()).isEqualTo(id);
        assertThat(accepted.get("version").asLong()).isEqualTo(7);
        assertThat(accepted.get("status").asString()).isEqualTo("accepted");
        assertThat(accepted.get("statusUrl").asString()).isEqualTo("/api/v1/documents/" + id + "/status");

        assertThat(commandsFor(TENANT, id)).singleElement().isInstanceOfSatisfying(UpsertDocument.class, command -> {
            assertThat(command.tenant()).isEqualTo(TENANT);
            assertThat(command.documentId()).isEqualTo(id);
            assertThat(command.version()).isEqualTo(7);
            assertThat(command.title()).isEqualTo("Kafka");
            assertThat(command.body()).isEqualTo("Logs all the way down.");
            assertThat(command.metadata()).isEqualTo(Map.of("lang", "en", "stars", "5", "draft", "false"));
            assertThat(command.acceptedAt()).isNotNull();
        });
    }

    @Test
    void postWithoutIdOrVersionGetsAGeneratedIdAndAnIncreasingVersion() throws Exception {
        JsonNode first = json(postJson("/api/v1/documents", "{\"body\": \"first\"}"));
        JsonNode second = json(postJson("/api/v1/documents", "{\"body\": \"second\"}"));

        assertThat(first.get("id").asString()).isNotBlank().isNotEqualTo(second.get("id").asString());
        assertThat(second.get("version").asLong()).isGreaterThan(first.get("version").asLong());
        assertThat(commandsFor(TENANT, first.get("id").asString())).singleElement()
                .satisfies(command -> assertThat(command.version()).isEqualTo(first.get("version").asLong()));
    }

    @Test
    void putReplacesTheDocumentAtThePathId() throws Exception {
        String id = uniqueId();
        HttpResponse<String> response = send("PUT", "/api/v1/documents/" + id, INGEST_KEY, "application/json",
                "{\"title\": \"t\", \"body\": \"replaced\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/documents/" + id + "/status");
        assertThat(commandsFor(TENANT, id)).singleElement().isInstanceOfSatisfying(UpsertDocument.class,
                command -> assertThat(command.body()).isEqualTo("replaced"));
    }

    @Test
    void deleteWritesADeleteCommand() throws Exception {
        String id = uniqueId();
        HttpResponse<String> response = send("DELETE", "/api/v1/documents/" + id + "?version=9", INGEST_KEY, null,
                null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(json(response).get("version").asLong()).isEqualTo(9);
        assertThat(commandsFor(TENANT, id)).singleElement().isInstanceOfSatisfying(DeleteDocument.class,
                command -> assertThat(command.version()).isEqualTo(9));
    }

    @Test
    void jsonArrayBatchAcceptsEveryDocumentInOrder() throws Exception {
        String a = uniqueId();
        String b = uniqueId();
        HttpResponse<String> response = postJson("/api/v1/documents:batch", """
                [{"id": "%s", "body": "alpha"}, {"id": "%s", "body": "beta", "version": 3}, {"body": "gamma"}]
                """.formatted(a, b));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        List<JsonNode> entries = entries(json(response));
        assertThat(entries).hasSize(3);
        assertThat(entries.get(0).get("id").asString()).isEqualTo(a);
        assertThat(entries.get(1).get("id").asString()).isEqualTo(b);
        assertThat(entries.get(1).get("version").asLong()).isEqualTo(3);
        assertThat(entries).allSatisfy(entry -> assertThat(entry.get("status").asString()).isEqualTo("accepted"));
        assertThat(commandsFor(TENANT, a)).singleElement().isInstanceOfSatisfying(UpsertDocument.class,
                command -> assertThat(command.body()).isEqualTo("alpha"));
        assertThat(commandsFor(TENANT, entries.get(2).get("id").asString())).hasSize(1);
    }

    @Test
    void ndjsonBatchAcceptsOneDocumentPerLine() throws Exception {
        String a = uniqueId();
        String b = uniqueId();
        HttpResponse<String> response = send("POST", "/api/v1/documents:batch", INGEST_KEY, "application/x-ndjson",
                "{\"id\": \"%s\", \"body\": \"one\"}\n\n{\"id\": \"%s\", \"body\": \"two\"}\n".formatted(a, b));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(entries(json(response))).extracting(entry -> entry.get("id").asString()).containsExactly(a, b);
        assertThat(commandsFor(TENANT, b)).singleElement().isInstanceOfSatisfying(UpsertDocument.class,
                command -> assertThat(command.body()).isEqualTo("two"));
    }

    @Test
    void theTenantComesFromTheKeyOnly() throws Exception {
        String id = uniqueId();
        HttpResponse<String> response = send("POST", "/api/v1/documents", OTHER_TENANT_KEY, "application/json",
                "{\"id\": \"%s\", \"body\": \"mine\"}".formatted(id));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(commandsFor("umbrella", id)).hasSize(1);
        assertThat(commandsFor(TENANT, id)).isEmpty();
    }

    @Test
    void requestsWithoutAKeyAreUnauthorizedAndWriteNothing() throws Exception {
        assertRejectedWithoutWriting(() -> send("POST", "/api/v1/documents", null, "application/json",
                "{\"body\": \"x\"}"), 401, "unauthorized");
    }

    @Test
    void searchOnlyKeysMayNotWrite() throws Exception {
        assertRejectedWithoutWriting(() -> send("POST", "/api/v1/documents", SEARCH_KEY, "application/json",
                "{\"body\": \"x\"}"), 403, "forbidden");
        assertRejectedWithoutWriting(() -> send("DELETE", "/api/v1/documents/some-doc", SEARCH_KEY, null, null), 403,
                "forbidden");
    }

    @Test
    void invalidDocumentsAreRefusedWithProblemsAndWriteNothing() throws Exception {
        Map<String, String> invalidBodies = Map.ofEntries(
                Map.entry("{\"title\": \"no body\"}", "invalid-request"),
                Map.entry("{\"body\": \"   \"}", "invalid-request"),
                Map.entry("{\"body\": 42}", "invalid-request"),
                Map.entry("{\"body\": \"x\", \"colour\": \"red\"}", "invalid-request"),
                Map.entry("{\"body\": \"x\", \"title\": [\"a\"]}", "invalid-request"),
                Map.entry("{\"body\": \"x\", \"title\": \"" + "t".repeat(1001) + "\"}", "invalid-request"),
                Map.entry("{\"body\": \"x\", \"id\": \"has space\"}", "invalid-request"),
                Map.entry("{\"body\": \"x\", \"id\": \"/etc/passwd\"}", "invalid-request"),
                Map.entry("{\"body\": \"x\", \"version\": 0}", "invalid-request"),
                Map.entry("{\"body\": \"x\", \"version\": -3}", "invalid-request"),
                Map.entry("{\"body\": \"x\", \"version\": 1.5}", "invalid-request"),
                Map.entry("{\"body\": \"x\", \"version\": \"7\"}", "invalid-request"),
                Map.entry("{\"body\": \"x\", \"metadata\": {\"bad key!\": \"v\"}}", "invalid-request"),
                Map.entry("{\"body\": \"x\", \"metadata\": {\"k\": {\"nested\": true}}}", "invalid-request"),
                Map.entry("{\"body\": \"x\", \"metadata\": {\"k\": null}}", "invalid-request"),
                Map.entry("{\"body\": \"x\", \"metadata\": [\"k\"]}", "invalid-request"),
                Map.entry("{\"body\": \"x\", \"metadata\": " + tooManyMetadataEntries() + "}", "invalid-request"),
                Map.entry("[{\"body\": \"x\"}]", "invalid-request"),
                Map.entry("{\"body\": \"x\"", "malformed-json"),
                Map.entry("not json at all", "malformed-json"),
                Map.entry("", "invalid-request"));
        for (Map.Entry<String, String> invalid : invalidBodies.entrySet()) {
            assertRejectedWithoutWriting(() -> postJson("/api/v1/documents", invalid.getKey()), 400,
                    invalid.getValue());
        }
    }

    @Test
    void oversizeBodiesArePayloadTooLarge() throws Exception {
        String body = "a".repeat(1024 * 1024 + 1);
        assertRejectedWithoutWriting(() -> postJson("/api/v1/documents", "{\"body\": \"" + body + "\"}"), 413,
                "payload-too-large");
    }

    @Test
    void bodiesOfExactlyTheLimitAreAccepted() throws Exception {
        String body = "b".repeat(1024 * 1024);
        assertThat(postJson("/api/v1/documents", "{\"body\": \"" + body + "\"}").statusCode()).isEqualTo(202);
    }

    @Test
    void putRefusesABodyIdThatDiffersFromThePathAndInvalidPathIds() throws Exception {
        assertRejectedWithoutWriting(() -> send("PUT", "/api/v1/documents/one", INGEST_KEY, "application/json",
                "{\"id\": \"two\", \"body\": \"x\"}"), 400, "invalid-request");
        assertRejectedWithoutWriting(() -> send("PUT", "/api/v1/documents/-bad", INGEST_KEY, "application/json",
                "{\"body\": \"x\"}"), 400, "invalid-request");
        assertRejectedWithoutWriting(() -> send("DELETE", "/api/v1/documents/ok?version=0", INGEST_KEY, null, null), 400,
                "invalid-request");
        assertRejectedWithoutWriting(() -> send("DELETE", "/api/v1/documents/ok?version=soon", INGEST_KEY, null, null), 400,
                "invalid-request");
    }

    @Test
    void wrongContentTypesAreUnsupported() throws Exception {
        assertRejectedWithoutWriting(() -> send("POST", "/api/v1/documents", INGEST_KEY, "text/plain", "body"), 415,
                "unsupported-media-type");
    }

    @Test
    void aBatchWithOneInvalidDocumentWritesNoneAndNamesTheCulprit() throws Exception {
        HttpResponse<String> response = assertRejectedWithoutWriting(() -> postJson("/api/v1/documents:batch",
                "[{\"body\": \"fine\"}, {\"body\": \"fine too\"}, {\"title\": \"no body\"}]"), 400,
                "invalid-request");
        JsonNode problem = json(response);
        assertThat(problem.get("detail").asString()).startsWith("Document 2:");
        assertThat(problem.get("errors").get(0).get("pointer").asString()).isEqualTo("/2/body");
    }

    @Test
    void batchesMustBeNonEmptyArraysOfAtMostTheLimit() throws Exception {
        String tooMany = IntStream.range(0, 1001).mapToObj(i -> "{\"body\": \"d" + i + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
        assertRejectedWithoutWriting(() -> postJson("/api/v1/documents:batch", tooMany), 400, "invalid-request");
        assertRejectedWithoutWriting(() -> postJson("/api/v1/documents:batch", "[]"), 400, "invalid-request");
        assertRejectedWithoutWriting(() -> postJson("/api/v1/documents:batch", "{\"body\": \"x\"}"), 400,
                "invalid-request");
        assertRejectedWithoutWriting(() -> send("POST", "/api/v1/documents:batch", INGEST_KEY, "application/x-ndjson",
                "{\"body\": \"ok\"}\n{\"body\": "), 400, "malformed-json");
        assertRejectedWithoutWriting(() -> send("POST", "/api/v1/documents:batch", INGEST_KEY, "application/x-ndjson",
                "\n\n"), 400, "invalid-request");
    }

    private HttpResponse<String> assertRejectedWithoutWriting(Call call, int status, String slug) throws Exception {
        long before = documentTopicSize();
        HttpResponse<String> response = call.send();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(json(response).get("type").asString()).as(response.body())
                .isEqualTo("https://docstream.io/problems/" + slug);
        assertThat(documentTopicSize()).isEqualTo(before);
        return response;
    }

    private static List<JsonNode> entries(JsonNode batch) {
        return batch.get("documents").valueStream().toList();
    }

    private static String tooManyMetadataEntries() {
        return IntStream.range(0, 65).mapToObj(i -> "\"k" + i + "\": \"v\"").collect(Collectors.joining(",", "{", "}"));
    }

    private static String uniqueId() {
        return "doc-" + UUID.randomUUID();
    }

    @FunctionalInterface
    private interface Call {
        HttpResponse<String> send() throws Exception;
    }
}
