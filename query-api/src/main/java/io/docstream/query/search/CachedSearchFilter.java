package io.docstream.query.search;

import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.docstream.platform.web.ApiKeyAuthenticationFilter;
import io.docstream.platform.web.ContentCoding;
import io.docstream.platform.web.EntityTags;
import io.docstream.platform.web.ProblemResponses;
import io.docstream.platform.web.RequestIdFilter;
import io.docstream.platform.web.ResponseCompression;
import io.docstream.query.cache.QueryCaches;
import io.docstream.platform.web.ConsistencyTokens;
import io.docstream.query.cache.ReadConsistency;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Answers {@code GET /api/v1/search} ahead of Spring MVC when this process holds the page in L1 at the tenant's
 * generation as the invalidation stream moved it: no I/O (no Redis, no index), no handler dispatch, no JSON
 * serialisation (the page's bytes are rendered once, {@link SearchAnswers}). It runs after the filters every request
 * passes (request id, security headers, size limit, API-key authentication with its scope check, rate limit) and
 * meters and publishes the answer as the controller does, compressed as the client asks (gzip or zstd, each coding
 * made once per page, {@link io.docstream.platform.web.CompressedPrefix}). Anything else goes on to {@link SearchController}
 * unchanged: an L1 miss or a page to revalidate, a tenant whose generation is not followed from the stream, Redis
 * unavailable (the answer must say it is degraded), {@code Cache-Control: no-cache}, {@code explain}, consistency
 * tokens this process
 * has not reached, and any parameter the controller would refuse or bind differently (it answers with the right
 * problem).
 */
final class CachedSearchFilter extends OncePerRequestFilter {

    static final String PATH = "/api/v1/search";
    private static final List<String> SINGLE = List.of("q", "k", "mode", "cursor", "fusion");

    private final SearchPages pages;
    private final SearchAnswers answers;
    private final SearchMetrics metrics;
    private final SearchEvents events;
    private final QueryCaches caches;
    private final ReadConsistency consistency;
    private final SearchProperties.FusionMethod defaultFusion;
    private final ProblemResponses problems;
    private final ResponseCompression compression;

    CachedSearchFilter(SearchPages pages, SearchAnswers answers, SearchMetrics metrics, SearchEvents events,
            QueryCaches caches, ReadConsistency consistency, SearchProperties.FusionMethod defaultFusion,
            ProblemResponses problems, ResponseCompression compression) {
        this.compression = Objects.requireNonNull(compression, "compression");
        this.problems = Objects.requireNonNull(problems, "problems");
        this.pages = Objects.requireNonNull(pages, "pages");
        this.answers = Objects.requireNonNull(answers, "answers");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.events = Objects.requireNonNull(events, "events");
        this.caches = Objects.requireNonNull(caches, "caches");
        this.consistency = Objects.requireNonNull(consistency, "consistency");
        this.defaultFusion = defaultFusion;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"GET".equals(request.getMethod()) || !PATH.equals(request.getRequestURI());
    }

    /** What an L1 hit answers with. */
    private record Hit(SearchPages.Request request, SearchPage page, SearchAnswers.Rendered rendered,
            boolean notModified) {
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long started = System.nanoTime();
        ApiKeyPrincipal principal = ApiKeyAuthenticationFilter.principal(request);
        try {
            request.getParameterMap();
        } catch (RuntimeException e) {
            // The container could not decode the query string; it says so only once, so the answer is given here.
            problems.send(request, response, e);
            return;
        }
        Hit hit = principal == null ? null : hit(principal, request);
        if (hit == null) {
            chain.doFilter(request, response);
            return;
        }
        // Metered under the endpoint's pattern, as if MVC had matched it.
        ServerHttpObservationFilter.findObservationContext(request).ifPresent(context -> context.setPathPattern(PATH));
        EntityTags.revalidatable(response, hit.rendered().tag());
        long tookNanos = System.nanoTime() - started;
        metrics.answered(hit.request().mode(), SearchAnswers.L1, List.of(),
                hit.request().offset() == 0 && hit.page().results().isEmpty(), tookNanos);
        events.searched(principal, RequestIdFilter.requestId(request), hit.request(),
                new SearchPages.Answer(hit.page(), SearchAnswers.L1, List.of()), tookNanos);
        if (hit.notModified()) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        long tookMillis = tookNanos / 1_000_000;
        ContentCoding coding = compression.coding(request, hit.rendered().length(tookMillis));
        byte[] body = hit.rendered().body(tookMillis, coding);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        if (coding != ContentCoding.IDENTITY) {
            response.setHeader(HttpHeaders.CONTENT_ENCODING, coding.token());
        }
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The L1 hit this request is, or null when the controller must answer it. */
    private Hit hit(ApiKeyPrincipal principal, HttpServletRequest request) {
        try {
            return hitOrNull(principal, request);
        } catch (RuntimeException e) {
            // Not a request this filter can answer as the controller would (a parameter it refuses, a query string
            // the container cannot decode): the controller answers it, problem and all.
            return null;
        }
    }

    private Hit hitOrNull(ApiKeyPrincipal principal, HttpServletRequest request) {
        if (!caches.redisAvailable() || SearchController.noCache(request.getHeader(HttpHeaders.CACHE_CONTROL))
                || request.getParameter(SearchRequests.EXPLAIN) != null) {
            return null;
        }
        for (String name : SINGLE) {
            String[] values = request.getParameterValues(name);
            if (values != null && values.length > 1) {
                return null;
            }
        }
        String[] filter = request.getParameterValues("filter");
        if (filter != null && Arrays.stream(filter).anyMatch(value -> value.indexOf(',') >= 0)) {
            return null;
        }
        String tenant = principal.tenant();
        if (!consistency.reached(tenant, ConsistencyTokens.of(request))) {
            return null;
        }
        String k = request.getParameter("k");
        String mode = request.getParameter("mode");
        SearchPages.Request search = SearchRequests.request(tenant, request.getParameter("q"),
                k == null ? 10 : Integer.parseInt(k), mode == null ? "hybrid" : mode,
                filter == null ? null : List.of(filter), request.getParameter("cursor"),
                request.getParameter("fusion"), defaultFusion, pages::candidates);
        SearchPage page = pages.cached(search);
        SearchAnswers.Rendered rendered = page == null ? null : answers.rendered(search, page);
        if (rendered == null) {
            return null;
        }
        boolean notModified = EntityTags.noneMatchFails(request.getHeader(HttpHeaders.IF_NONE_MATCH),
                rendered.tag());
        return new Hit(search, page, rendered, notModified);
    }
}
