package io.docstream.query.search;

import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.docstream.platform.web.EntityTags;
import io.docstream.platform.web.RequestIdFilter;
import io.docstream.platform.web.ConsistencyTokens;
import io.docstream.query.cache.ReadConsistency;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Locale;
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
 * evaluation past every cache, which is not stored ({@code bypass}). Consistency tokens ({@code consistentWith})
 * make the search wait until this instance serves the versions they name. {@code explain=true} adds each result's
 * ranks and scores per retrieval; such answers are evaluated fresh and never stored. Every answer is published as a query
 * event. Most L1 hits never get here: {@link CachedSearchFilter} answers them ahead of MVC.
 */
@RestController
class SearchController {

    static final int MAX_K = SearchRequests.MAX_K;

    private final SearchPages pages;
    private final SearchMetrics metrics;
    private final SearchEvents events;
    private final ReadConsistency consistency;
    private final SearchProperties.FusionMethod defaultFusion;

    SearchController(SearchPages pages, SearchMetrics metrics, SearchEvents events, ReadConsistency consistency,
            SearchProperties properties) {
        this.pages = pages;
        this.metrics = metrics;
        this.events = events;
        this.consistency = consistency;
        this.defaultFusion = properties.fusion();
    }

    @GetMapping("/api/v1/search")
    @ApiResponse(responseCode = "200", description = "A page of results; with explain=true, each with its parts",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(oneOf = {SearchResponse.class, ExplainedSearchResponse.class})))
    ResponseEntity<?> search(ApiKeyPrincipal principal, HttpServletRequest http, @RequestParam(required = false) String q,
            @RequestParam(defaultValue = "10") int k, @RequestParam(defaultValue = "hybrid") String mode,
            @RequestParam(name = "filter", required = false) List<String> filter,
            @RequestParam(required = false) String cursor, @RequestParam(required = false) String fusion,
            @RequestParam(name = SearchRequests.EXPLAIN, required = false) String explain,
            @RequestHeader(name = HttpHeaders.CACHE_CONTROL, required = false) String cacheControl,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            HttpServletResponse servletResponse) {
        long started = System.nanoTime();
        SearchPages.Request request = SearchRequests.request(principal.tenant(), q, k, mode, filter, cursor, fusion,
                defaultFusion, pages::candidates);
        boolean explained = SearchRequests.explain(explain);
        consistency.await(request.tenant(), ConsistencyTokens.of(http));
        SearchPages.Explained explanation = explained ? pages.explained(request) : null;
        SearchPages.Answer answer = explained ? explanation.answer()
                : noCache(cacheControl) ? pages.fresh(request) : pages.answer(request);
        long tookNanos = System.nanoTime() - started;
        metrics.answered(request.mode(), answer.layer(), answer.degraded(),
                request.offset() == 0 && answer.page().results().isEmpty(), tookNanos);
        events.searched(principal, RequestIdFilter.requestId(http), request, answer, tookNanos);
        String tag = SearchAnswers.tag(request, answer.page(), explained);
        EntityTags.revalidatable(servletResponse, tag);
        if (EntityTags.noneMatchFails(ifNoneMatch, tag)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).build();
        }
        if (explained) {
            return ResponseEntity.ok(ExplainedSearchResponse.of(explanation, request.mode().value(),
                    tookNanos / 1_000_000));
        }
        return ResponseEntity.ok(new SearchResponse(answer.page().results(), request.mode().value(),
                answer.degraded(), answer.page().nextCursor(), answer.layer(), tookNanos / 1_000_000));
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
}
