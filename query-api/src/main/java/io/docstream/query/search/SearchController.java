package io.docstream.query.search;

import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.docstream.platform.web.EntityTags;
import io.docstream.platform.web.ProblemException;
import io.docstream.platform.web.RequestIdFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/search}: the tenant is the key's, the page is the cursor's; a hybrid search fuses as the
 * request's {@code fusion} says, else as configured. Pages come from {@link SearchPages}; {@code cache} says which
 * layer answered ({@code l1}, {@code l2} or {@code miss}). {@code Cache-Control: no-cache} asks for a fresh
 * evaluation past every cache, which is not stored ({@code bypass}). Every answer is published as a query event.
 */
@RestController
class SearchController {

    static final int MAX_K = 100;

    private final SearchPages pages;
    private final SearchMetrics metrics;
    private final SearchEvents events;
    private final SearchProperties.FusionMethod defaultFusion;

    SearchController(SearchPages pages, SearchMetrics metrics, SearchEvents events, SearchProperties properties) {
        this.pages = pages;
        this.metrics = metrics;
        this.events = events;
        this.defaultFusion = properties.fusion();
    }

    @GetMapping("/api/v1/search")
    ResponseEntity<SearchResponse> search(ApiKeyPrincipal principal, HttpServletRequest http, @RequestParam(required = false) String q,
            @RequestParam(defaultValue = "10") int k, @RequestParam(defaultValue = "hybrid") String mode,
            @RequestParam(name = "filter", required = false) List<String> filter,
            @RequestParam(required = false) String cursor, @RequestParam(required = false) String fusion,
            @RequestHeader(name = HttpHeaders.CACHE_CONTROL, required = false) String cacheControl,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            HttpServletResponse servletResponse) {
        long started = System.nanoTime();
        String query = SearchRequests.normalizeQuery(SearchRequests.query(q));
        if (k < 1 || k > MAX_K) {
            throw ProblemException.invalidRequest("Parameter 'k' must be between 1 and " + MAX_K + ".");
        }
        SearchMode searchMode = SearchMode.parse(mode);
        SearchProperties.FusionMethod fusionMethod = fusion(fusion, searchMode);
        Map<String, String> filters = SearchRequests.filters(filter);
        String tenant = principal.tenant();
        String fingerprint = SearchCursor.fingerprint(tenant, query, searchMode, fusionMethod, k, filters);
        int offset = SearchCursor.decode(cursor, fingerprint, pages.candidates(k));

        SearchPages.Request request = new SearchPages.Request(tenant, query, searchMode, fusionMethod, k, filters,
                offset);
        SearchPages.Answer answer = noCache(cacheControl) ? pages.fresh(request) : pages.answer(request);
        long tookNanos = System.nanoTime() - started;
        metrics.answered(searchMode, answer.layer(), answer.degraded(),
                offset == 0 && answer.page().results().isEmpty(), tookNanos);
        events.searched(principal, RequestIdFilter.requestId(http), request, answer, tookNanos);
        String tag = tag(request, answer.page());
        EntityTags.revalidatable(servletResponse, tag);
        if (EntityTags.noneMatchFails(ifNoneMatch, tag)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).build();
        }
        return ResponseEntity.ok(new SearchResponse(answer.page().results(), searchMode.value(), answer.layer(),
                answer.degraded(), tookNanos / 1_000_000, answer.page().nextCursor()));
    }

    /**
     * A weak tag of what the page says: the request, the results' ids and versions, the cursor and what degraded.
     * Weak because the answer's {@code cache} and {@code tookMs} differ from one request to the next.
     */
    private static String tag(SearchPages.Request request, SearchPage page) {
        List<String> parts = new ArrayList<>();
        parts.add(request.fingerprint());
        parts.add(Integer.toString(request.offset()));
        for (SearchResult result : page.results()) {
            parts.add(result.id());
            parts.add(Long.toString(result.version()));
        }
        parts.add(String.valueOf(page.nextCursor()));
        parts.add(String.join(",", page.degraded()));
        return EntityTags.weak(parts.toArray(String[]::new));
    }

    /** Whether the request's {@code Cache-Control} has the {@code no-cache} (or {@code no-store}) directive. */
    static boolean noCache(String cacheControl) {
        if (cacheControl == null) {
            return false;
        }
        for (String directive : cacheControl.split(",")) {
            String name = directive.strip().toLowerCase(Locale.ROOT);
            if (name.equals("no-cache") || name.equals("no-store")) {
                return true;
            }
        }
        return false;
    }

    /** The fusion a hybrid search uses (the request's, else the configured one); null for the other modes. */
    private SearchProperties.FusionMethod fusion(String requested, SearchMode mode) {
        SearchProperties.FusionMethod fusion = requested == null ? defaultFusion
                : SearchProperties.FusionMethod.parse(requested);
        return mode == SearchMode.HYBRID ? fusion : null;
    }
}
