package io.docstream.query.search;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.docstream.platform.web.CompressedPrefix;
import io.docstream.platform.web.ContentCoding;
import io.docstream.platform.web.EntityTags;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cached search pages as the bytes of their answer, rendered once per page: the JSON of {@link SearchResponse} up to
 * its last field ({@code tookMs}), with {@code cache} "l1", and the page's entity tag; compressed once per content
 * coding a client asks for. A page object is what L1
 * holds for one request, so its rendering is kept beside it (weakly: it goes when L1 lets the page go) and an L1 hit
 * only appends the time it took.
 */
final class SearchAnswers {

    static final String L1 = "l1";
    private static final byte[] LAST_FIELD = "\"tookMs\":0}".getBytes(StandardCharsets.US_ASCII);

    /**
     * An answer's bytes without the time it took, compressed once per coding on first use, and its entity tag.
     */
    record Rendered(CompressedPrefix prefix, String tag) {

        /** The whole body, with {@code tookMs}, uncompressed. */
        int length(long tookMillis) {
            return prefix.length() + Long.toString(tookMillis).length() + 1;
        }

        /** The whole body, with {@code tookMs}, in {@code coding}. */
        byte[] body(long tookMillis, ContentCoding coding) {
            return prefix.body(coding, (tookMillis + "}").getBytes(StandardCharsets.US_ASCII));
        }
    }

    private final JsonMapper mapper;
    private final Cache<SearchPage, Rendered> rendered;

    SearchAnswers(JsonMapper mapper, long maxEntries) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.rendered = Caffeine.newBuilder().weakKeys().maximumSize(maxEntries).build();
    }

    /** The rendering of an L1 page for the request it was cached for; null when it cannot be rendered so. */
    Rendered rendered(SearchPages.Request request, SearchPage page) {
        Rendered cached = rendered.getIfPresent(page);
        if (cached != null) {
            return cached;
        }
        byte[] json = mapper.writeValueAsBytes(new SearchResponse(page.results(), request.mode().value(),
                page.degraded(), page.nextCursor(), L1, 0));
        int end = json.length - LAST_FIELD.length;
        if (end < 0 || !Arrays.equals(json, end, json.length, LAST_FIELD, 0, LAST_FIELD.length)) {
            return null;
        }
        Rendered made = new Rendered(new CompressedPrefix(Arrays.copyOf(json, json.length - 2)), tag(request, page));
        rendered.put(page, made);
        return made;
    }

    /**
     * A weak tag of what the page says: the request, the results' ids and versions, the cursor and what degraded.
     * Weak because the answer's {@code cache} and {@code tookMs} differ from one request to the next.
     */
    static String tag(SearchPages.Request request, SearchPage page) {
        return tag(request, page, false);
    }

    /** As above; an explained answer says more than a plain one of the same page, so its tag differs. */
    static String tag(SearchPages.Request request, SearchPage page, boolean explained) {
        List<String> parts = new ArrayList<>();
        parts.add(request.fingerprint());
        if (explained) {
            parts.add(SearchRequests.EXPLAIN);
        }
        parts.add(Integer.toString(request.offset()));
        for (SearchResult result : page.results()) {
            parts.add(result.id());
            parts.add(Long.toString(result.version()));
        }
        parts.add(String.valueOf(page.nextCursor()));
        parts.add(String.join(",", page.degraded()));
        return EntityTags.weak(parts.toArray(String[]::new));
    }
}
