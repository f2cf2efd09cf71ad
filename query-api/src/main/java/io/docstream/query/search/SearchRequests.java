package io.docstream.query.search;

import io.docstream.platform.errors.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;
import java.util.regex.Pattern;

/**
 * Reads the parameters of a search and gives the canonical form of a search request, so that requests that
 * ask the same thing share one cache entry: the query lower-cased with whitespace collapsed, filters sorted.
 */
final class SearchRequests {

    static final int MAX_K = 100;
    static final int MAX_QUERY_LENGTH = 1000;
    static final int MAX_FILTERS = 16;
    static final String EXPLAIN = "explain";

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern FILTER_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private SearchRequests() {
    }

    /**
     * The request a search's parameters ask for, the page included; a 400 problem when they are not valid.
     *
     * @param defaultFusion the fusion of a hybrid search that names none
     * @param candidates    how many candidates a search for k results ranks (the cursor's bound)
     */
    static SearchPages.Request request(String tenant, String q, int k, String mode, List<String> filter,
            String cursor, String fusion, SearchProperties.FusionMethod defaultFusion,
            IntUnaryOperator candidates) {
        String query = normalizeQuery(query(q));
        if (k < 1 || k > MAX_K) {
            throw new InvalidInputException("Parameter 'k' must be between 1 and " + MAX_K + ".");
        }
        SearchMode searchMode = SearchMode.parse(mode);
        SearchProperties.FusionMethod requested = fusion == null ? defaultFusion
                : SearchProperties.FusionMethod.parse(fusion);
        SearchProperties.FusionMethod fusionMethod = searchMode == SearchMode.HYBRID ? requested : null;
        Map<String, String> filters = filters(filter);
        String fingerprint = SearchCursor.fingerprint(tenant, query, searchMode, fusionMethod, k, filters);
        int offset = SearchCursor.decode(cursor, fingerprint, candidates.applyAsInt(k));
        return new SearchPages.Request(tenant, query, searchMode, fusionMethod, k, filters, offset);
    }

    /** The {@code explain} parameter: true or false (absent: false); a 400 problem for anything else. */
    static boolean explain(String explain) {
        if (explain == null || explain.equals("false")) {
            return false;
        }
        if (explain.equals("true")) {
            return true;
        }
        throw new InvalidInputException("Parameter 'explain' must be true or false.");
    }

    /** The {@code q} parameter, stripped; a 400 problem when it is missing, blank, too long or holds NUL. */
    static String query(String q) {
        if (q == null || q.isBlank()) {
            throw new InvalidInputException("Parameter 'q' is required.");
        }
        if (q.length() > MAX_QUERY_LENGTH) {
            throw new InvalidInputException("Parameter 'q' must be at most " + MAX_QUERY_LENGTH + " characters.");
        }
        if (q.indexOf('\u0000') >= 0) {
            throw new InvalidInputException("Parameter 'q' must not contain NUL characters.");
        }
        return q.strip();
    }

    /** The {@code filter=key:value} parameters as a map; a 400 problem for a malformed or contradictory one. */
    static Map<String, String> filters(List<String> filter) {
        if (filter == null || filter.isEmpty()) {
            return Map.of();
        }
        if (filter.size() > MAX_FILTERS) {
            throw new InvalidInputException("At most " + MAX_FILTERS + " filters are allowed.");
        }
        Map<String, String> filters = new LinkedHashMap<>();
        for (String entry : filter) {
            int colon = entry.indexOf(':');
            String key = colon < 0 ? entry : entry.substring(0, colon);
            if (colon < 0 || !FILTER_KEY.matcher(key).matches() || colon == entry.length() - 1) {
                throw new InvalidInputException("Parameter 'filter' must look like key:value, with a key of 1 "
                        + "to 64 characters from [A-Za-z0-9_.-].");
            }
            String value = entry.substring(colon + 1);
            if (value.indexOf('\u0000') >= 0) {
                throw new InvalidInputException("Parameter 'filter' must not contain NUL characters.");
            }
            String previous = filters.putIfAbsent(key, value);
            if (previous != null && !previous.equals(value)) {
                throw new InvalidInputException("Filter key '" + key + "' is given twice with different values; "
                        + "no document can match both.");
            }
        }
        return filters;
    }

    /**
     * Whitespace collapsed and lower-cased code point by code point, as the index's analyzer lower-cases, so the
     * normalised query finds exactly what the query would.
     */
    static String normalizeQuery(String query) {
        String collapsed = WHITESPACE.matcher(query.strip()).replaceAll(" ");
        StringBuilder lower = new StringBuilder(collapsed.length());
        collapsed.codePoints().forEach(codePoint -> lower.appendCodePoint(Character.toLowerCase(codePoint)));
        return lower.toString();
    }

    /**
     * Mode, fusion, k, sorted filters, page offset and normalised query, unambiguously separated: NUL separates
     * the parts and is escaped inside them. The fusion counts for hybrid searches only: the other modes fuse
     * nothing, so their requests share one entry.
     */
    static String normalize(SearchMode mode, SearchProperties.FusionMethod fusion, int k, Map<String, String> filters,
            int offset, String normalizedQuery) {
        StringBuilder canonical = new StringBuilder()
                .append("mode=").append(mode.value());
        if (mode == SearchMode.HYBRID && fusion != null) {
            canonical.append("\u0000fusion=").append(fusion.value());
        }
        canonical
                .append("\u0000k=").append(k)
                .append("\u0000offset=").append(offset);
        new TreeMap<>(filters).forEach((key, value) ->
                canonical.append("\u0000filter=").append(escape(key)).append('=').append(escape(value)));
        return canonical.append("\u0000q=").append(escape(normalizedQuery)).toString();
    }

    /** {@code part} with NUL and backslash escaped, so it cannot contain the NUL that separates parts. */
    static String escape(String part) {
        if (part.indexOf('\u0000') < 0 && part.indexOf('\\') < 0) {
            return part;
        }
        return part.replace("\\", "\\\\").replace("\u0000", "\\0");
    }
}
