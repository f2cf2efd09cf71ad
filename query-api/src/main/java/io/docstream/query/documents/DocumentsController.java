package io.docstream.query.documents;

import io.docstream.cache.CacheCodec;
import io.docstream.cache.CacheKeys;
import io.docstream.cache.TwoLevelCache;
import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.docstream.platform.web.EntityTags;
import io.docstream.platform.web.ProblemException;
import io.docstream.query.cache.QueryCaches;
import io.docstream.platform.web.ConsistencyTokens;
import io.docstream.query.cache.ReadConsistency;
import io.docstream.schemas.events.DocumentKey;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Document reads; the tenant is always the key's, and listing pages by id (keyset), never by offset. */
@RestController
class DocumentsController {

    static final int MAX_LIMIT = 100;
    private static final String CURSOR_PREFIX = "d1:";

    /** Response header naming the layer that answered a document read: {@code l1}, {@code l2} or {@code miss}. */
    static final String CACHE_HEADER = "Docstream-Cache";
    /** Response header listing what was missing from the answer, e.g. {@code cache} while Redis is down. */
    static final String DEGRADED_HEADER = "Docstream-Degraded";

    private final DocumentRepository documents;
    private final QueryCaches caches;
    private final ReadConsistency consistency;
    private final TwoLevelCache<CachedDocument> cache;

    DocumentsController(DocumentRepository documents, QueryCaches caches, ReadConsistency consistency) {
        this.documents = documents;
        this.caches = caches;
        this.consistency = consistency;
        this.cache = caches.create("document", CacheCodec.smile(CachedDocument.class), cached ->
                cached.document() == null ? caches.properties().negativeTtl() : caches.properties().documentTtl());
    }

    /**
     * The document with a strong {@code ETag} of tenant, id and version; {@code If-None-Match} naming it answers 304
     * without a body, from the cached document when the cache holds it (no PostgreSQL read). Consistency tokens
     * ({@code consistentWith}) make the read wait until this instance serves the versions they name.
     */
    @GetMapping("/api/v1/documents/{id}")
    ResponseEntity<StoredDocument> document(ApiKeyPrincipal principal, @PathVariable String id, HttpServletRequest http,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            HttpServletResponse servletResponse) {
        if (!DocumentKey.DOCUMENT_ID.matcher(id).matches()) {
            throw ProblemException.invalidRequest("The document id in the path is not valid.");
        }
        String tenant = principal.tenant();
        consistency.await(tenant, ConsistencyTokens.of(http));
        QueryCaches.Generation generation = caches.generation(tenant);
        TwoLevelCache.Result<CachedDocument> read = cache.get(CacheKeys.document(tenant, id), tenant,
                generation.value(), generation.shared(), () -> new CachedDocument(documents.find(tenant, id).orElse(null)));
        StoredDocument document = read.value().document();
        if (document == null) {
            throw ProblemException.notFound("There is no document '" + id + "'.");
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.ok().header(CACHE_HEADER, switch (read.layer()) {
            case L1 -> "l1";
            case L2 -> "l2";
            case ORIGIN -> "miss";
        });
        if (!generation.shared() || read.redisFailed()) {
            response.header(DEGRADED_HEADER, QueryCaches.DEGRADED);
        }
        String tag = EntityTags.document(tenant, id, document.version());
        EntityTags.revalidatable(servletResponse, tag);
        if (EntityTags.noneMatchFails(ifNoneMatch, tag)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).build();
        }
        return response.body(document);
    }

    /**
     * The chunks of the document's current version, read from PostgreSQL on every request (an operator's view,
     * not a hot path); 404 as a document read for a document the tenant does not have.
     */
    @GetMapping("/api/v1/documents/{id}/chunks")
    DocumentChunks chunks(ApiKeyPrincipal principal, @PathVariable String id) {
        if (!DocumentKey.DOCUMENT_ID.matcher(id).matches()) {
            throw ProblemException.invalidRequest("The document id in the path is not valid.");
        }
        StoredDocument document = documents.find(principal.tenant(), id)
                .orElseThrow(() -> ProblemException.notFound("There is no document '" + id + "'."));
        return new DocumentChunks(id, document.version(), documents.chunks(principal.tenant(), id, document.version()));
    }

    @GetMapping("/api/v1/documents")
    DocumentPage list(ApiKeyPrincipal principal, @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "20") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.invalidRequest("Parameter 'limit' must be between 1 and " + MAX_LIMIT + ".");
        }
        List<DocumentSummary> page = documents.list(principal.tenant(), decode(cursor), limit + 1);
        if (page.size() <= limit) {
            return new DocumentPage(page, null);
        }
        List<DocumentSummary> shown = page.subList(0, limit);
        return new DocumentPage(List.copyOf(shown), encode(shown.getLast().id()));
    }

    private static String encode(String lastId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + lastId).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String value = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (value.startsWith(CURSOR_PREFIX)) {
                String lastId = value.substring(CURSOR_PREFIX.length());
                if (DocumentKey.DOCUMENT_ID.matcher(lastId).matches()) {
                    return lastId;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the problem below
        }
        throw ProblemException.invalidRequest("Parameter 'cursor' is not a cursor this listing issued.");
    }
}
