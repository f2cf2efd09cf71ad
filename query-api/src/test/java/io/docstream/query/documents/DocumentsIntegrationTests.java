package io.docstream.query.documents;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.tenancy.Scope;
import io.docstream.query.QueryApiTestSupport;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DocumentsIntegrationTests extends QueryApiTestSupport {

    private static final String TENANT = "docs-acme";
    private static final String OTHER_TENANT = "docs-umbrella";
    private static final String KEY = createKey(TENANT, Scope.SEARCH);
    private static final String OTHER_KEY = createKey(OTHER_TENANT, Scope.SEARCH);
    private static final List<String> LISTED = IntStream.range(0, 25).mapToObj(i -> "item-%02d".formatted(i)).toList();
    private static boolean seeded;

    @BeforeEach
    void seedOnce() {
        if (seeded) {
            return;
        }
        seed(TENANT, "manual", "User manual", "Press the red button to start.", Map.of("lang", "en", "stars", "5"), 4);
        seed(TENANT, "gone", "Deleted", "This document was deleted.", Map.of(), 1);
        delete(TENANT, "gone", 2);
        for (String id : LISTED) {
            seed(TENANT, id, "Item " + id, "Body of " + id + ".", Map.of(), 1);
        }
        seed(OTHER_TENANT, "secret", "Not yours", "Another tenant's document.", Map.of(), 1);
        seeded = true;
    }

    @Test
    void readsADocumentWithItsVersionAndMetadata() throws Exception {
        HttpResponse<String> response = get("/api/v1/documents/manual", KEY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode document = json(response);
        assertThat(document.get("id").asString()).isEqualTo("manual");
        assertThat(document.get("title").asString()).isEqualTo("User manual");
        assertThat(document.get("body").asString()).isEqualTo("Press the red button to start.");
        assertThat(document.get("metadata").get("stars").asString()).isEqualTo("5");
        assertThat(document.get("version").asLong()).isEqualTo(4);
        assertThat(document.get("updatedAt").asString()).isNotBlank();
    }

    @Test
    void deletedMissingAndOtherTenantsDocumentsAreNotFound() throws Exception {
        for (String path : List.of("/api/v1/documents/gone", "/api/v1/documents/never-was",
                "/api/v1/documents/secret")) {
            HttpResponse<String> response = get(path, KEY);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(json(response).get("type").asString()).isEqualTo("https://docstream.io/problems/not-found");
        }
        assertThat(get("/api/v1/documents/secret", OTHER_KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void listingPagesByIdWithoutDuplicatesGapsOrDeletedDocuments() throws Exception {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = json(get("/api/v1/documents?limit=10" + (cursor == null ? "" : "&cursor=" + cursor), KEY));
            page.get("documents").forEach(document -> ids.add(document.get("id").asString()));
            assertThat(page.get("documents").get(0).has("body")).isFalse();
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
            pages++;
        } while (cursor != null && pages < 10);

        List<String> expected = new ArrayList<>(LISTED);
        expected.add("manual");
        assertThat(ids).containsExactlyElementsOf(expected.stream().sorted().toList());
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void listingDefaultsToTwentyAndStaysInTheTenant() throws Exception {
        JsonNode page = json(get("/api/v1/documents", KEY));
        assertThat(page.get("documents").size()).isEqualTo(20);
        assertThat(page.get("nextCursor").isNull()).isFalse();

        JsonNode other = json(get("/api/v1/documents", OTHER_KEY));
        assertThat(other.get("documents").size()).isEqualTo(1);
        assertThat(other.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void badLimitsAndCursorsAreInvalidRequests() throws Exception {
        for (String query : List.of("limit=0", "limit=101", "limit=many", "cursor=%21%21", "cursor=AAAA",
                "cursor=ZDE6LWJhZA")) {
            HttpResponse<String> response = get("/api/v1/documents?" + query, KEY);
            assertThat(response.statusCode()).as(query + " -> " + response.body()).isEqualTo(400);
            assertThat(json(response).get("type").asString())
                    .isEqualTo("https://docstream.io/problems/invalid-request");
        }
    }

    @Test
    void readingNeedsAKey() throws Exception {
        assertThat(get("/api/v1/documents/manual", null).statusCode()).isEqualTo(401);
    }
}
