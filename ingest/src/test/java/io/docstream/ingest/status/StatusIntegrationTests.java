package io.docstream.ingest.status;

import static io.docstream.schemas.db.Tables.INDEXING_STATUS;
import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.ingest.IngestTestSupport;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class StatusIntegrationTests extends IngestTestSupport {

    @Test
    void anAcceptedDocumentIsPendingAtItsVersion() throws Exception {
        String id = uniqueId();
        postJson("/api/v1/documents", "{\"id\": \"%s\", \"body\": \"x\", \"version\": 5}".formatted(id));

        JsonNode status = status(id, INGEST_KEY);
        assertThat(status.get("id").asString()).isEqualTo(id);
        assertThat(status.get("acceptedVersion").asLong()).isEqualTo(5);
        assertThat(status.get("indexedVersion").isNull()).isTrue();
        assertThat(status.get("state").asString()).isEqualTo("pending");
        assertThat(status.has("error")).isFalse();
    }

    @Test
    void staysPendingAfterIndexingUntilTheVersionIsSearchable() throws Exception {
        String id = uniqueId();
        postJson("/api/v1/documents", "{\"id\": \"%s\", \"body\": \"x\", \"version\": 5}".formatted(id));
        markIndexed(id, 5, "indexed");

        JsonNode indexedOnly = status(id, INGEST_KEY);
        assertThat(indexedOnly.get("state").asString()).isEqualTo("pending");
        assertThat(indexedOnly.get("indexedVersion").isNull()).isTrue();

        markSearchable(id, 5);
        JsonNode searchable = status(id, INGEST_KEY);
        assertThat(searchable.get("state").asString()).isEqualTo("indexed");
        assertThat(searchable.get("indexedVersion").asLong()).isEqualTo(5);
    }

    @Test
    void reportsTheSearchableVersionWhileANewerOneIsIndexedButNotYetSearchable() throws Exception {
        String id = uniqueId();
        postJson("/api/v1/documents", "{\"id\": \"%s\", \"body\": \"x\", \"version\": 5}".formatted(id));
        markIndexed(id, 5, "indexed");
        markSearchable(id, 5);
        postJson("/api/v1/documents", "{\"id\": \"%s\", \"body\": \"y\", \"version\": 6}".formatted(id));
        markIndexed(id, 6, "indexed");

        JsonNode status = status(id, INGEST_KEY);
        assertThat(status.get("acceptedVersion").asLong()).isEqualTo(6);
        assertThat(status.get("indexedVersion").asLong()).isEqualTo(5);
        assertThat(status.get("state").asString()).isEqualTo("pending");
    }

    @Test
    void reflectsTheIndexerAndStaysIndexedWhenAnOlderVersionArrivesLate() throws Exception {
        String id = uniqueId();
        postJson("/api/v1/documents", "{\"id\": \"%s\", \"body\": \"x\", \"version\": 5}".formatted(id));
        markIndexed(id, 5, "indexed");
        markSearchable(id, 5);

        assertThat(status(id, INGEST_KEY).get("state").asString()).isEqualTo("indexed");

        postJson("/api/v1/documents", "{\"id\": \"%s\", \"body\": \"old\", \"version\": 3}".formatted(id));
        JsonNode afterOld = status(id, INGEST_KEY);
        assertThat(afterOld.get("acceptedVersion").asLong()).isEqualTo(5);
        assertThat(afterOld.get("indexedVersion").asLong()).isEqualTo(5);
        assertThat(afterOld.get("state").asString()).isEqualTo("indexed");

        postJson("/api/v1/documents", "{\"id\": \"%s\", \"body\": \"new\", \"version\": 8}".formatted(id));
        JsonNode afterNew = status(id, INGEST_KEY);
        assertThat(afterNew.get("acceptedVersion").asLong()).isEqualTo(8);
        assertThat(afterNew.get("state").asString()).isEqualTo("pending");
    }

    @Test
    void aFailedDocumentShowsItsErrorUntilANewVersionIsAccepted() throws Exception {
        String id = uniqueId();
        postJson("/api/v1/documents", "{\"id\": \"%s\", \"body\": \"x\", \"version\": 1}".formatted(id));
        markIndexed(id, 1, "indexed");
        markSearchable(id, 1);
        postJson("/api/v1/documents", "{\"id\": \"%s\", \"body\": \"x\", \"version\": 2}".formatted(id));
        DATABASE.dsl().update(INDEXING_STATUS)
                .set(INDEXING_STATUS.STATE, "failed")
                .set(INDEXING_STATUS.ERROR, "could not embed")
                .where(INDEXING_STATUS.TENANT_ID.eq(TENANT).and(INDEXING_STATUS.DOCUMENT_ID.eq(id)))
                .execute();

        JsonNode failed = status(id, INGEST_KEY);
        assertThat(failed.get("state").asString()).isEqualTo("failed");
        assertThat(failed.get("error").asString()).isEqualTo("could not embed");
        assertThat(failed.get("indexedVersion").asLong()).isEqualTo(1);

        postJson("/api/v1/documents", "{\"id\": \"%s\", \"body\": \"fixed\", \"version\": 3}".formatted(id));
        JsonNode status = status(id, INGEST_KEY);
        assertThat(status.get("state").asString()).isEqualTo("pending");
        assertThat(status.has("error")).isFalse();
    }

    @Test
    void aDeleteIsPendingUntilItIsSearchable() throws Exception {
        String id = uniqueId();
        send("DELETE", "/api/v1/documents/" + id, INGEST_KEY, null, null);
        JsonNode accepted = status(id, INGEST_KEY);
        assertThat(accepted.get("state").asString()).isEqualTo("pending");
        long version = accepted.get("acceptedVersion").asLong();

        markIndexed(id, version, "deleted");
        assertThat(status(id, INGEST_KEY).get("state").asString()).isEqualTo("pending");

        markSearchable(id, version);
        assertThat(status(id, INGEST_KEY).get("state").asString()).isEqualTo("deleted");
    }

    @Test
    void searchKeysMayReadStatusButOtherTenantsSeeNothing() throws Exception {
        String id = uniqueId();
        postJson("/api/v1/documents", "{\"id\": \"%s\", \"body\": \"x\"}".formatted(id));

        assertThat(status(id, SEARCH_KEY).get("state").asString()).isEqualTo("pending");
        HttpResponse<String> other = send("GET", "/api/v1/documents/" + id + "/status", OTHER_TENANT_KEY, null, null);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(json(other).get("type").asString()).isEqualTo("https://docstream.io/problems/not-found");
    }

    @Test
    void unknownDocumentsAreNotFoundAndBadIdsAreInvalid() throws Exception {
        assertThat(send("GET", "/api/v1/documents/" + uniqueId() + "/status", INGEST_KEY, null, null).statusCode())
                .isEqualTo(404);
        assertThat(send("GET", "/api/v1/documents/-x/status", INGEST_KEY, null, null).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/api/v1/documents/x/status", null, null, null).statusCode()).isEqualTo(401);
    }

    private JsonNode status(String id, String key) throws Exception {
        HttpResponse<String> response = send("GET", "/api/v1/documents/" + id + "/status", key, null, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    /** What the indexer writes after applying the version. */
    private static void markIndexed(String id, long version, String state) {
        DATABASE.dsl().update(INDEXING_STATUS)
                .set(INDEXING_STATUS.INDEXED_VERSION, version)
                .set(INDEXING_STATUS.STATE, state)
                .where(INDEXING_STATUS.TENANT_ID.eq(TENANT).and(INDEXING_STATUS.DOCUMENT_ID.eq(id)))
                .execute();
    }

    /** What the invalidator writes once the caches no longer hold anything older. */
    private static void markSearchable(String id, long version) {
        DATABASE.dsl().update(INDEXING_STATUS)
                .set(INDEXING_STATUS.SEARCHABLE_VERSION, version)
                .set(INDEXING_STATUS.SEARCHABLE_AT, OffsetDateTime.now(ZoneOffset.UTC))
                .where(INDEXING_STATUS.TENANT_ID.eq(TENANT).and(INDEXING_STATUS.DOCUMENT_ID.eq(id)))
                .execute();
    }

    private static String uniqueId() {
        return "doc-" + UUID.randomUUID();
    }
}
