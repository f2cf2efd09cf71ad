package io.docstream.query.search;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The canonical form of a search request, so that requests that ask the same thing share one cache
 * entry: the query lower-cased with whitespace collapsed, filters sorted.
 */
final class SearchRequests {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private SearchRequests() {
    }

    static String normalizeQuery(String query) {
        return WHITESPACE.matcher(query.strip()).replaceAll(" ").toLowerCase(Locale.ROOT);
    }

    /**
     * Mode, fusion, k, sorted filters, page offset and normalised query, unambiguously separated. The fusion
     * counts for hybrid searches only: the other modes fuse nothing, so their requests share one entry.
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
                canonical.append("\u0000filter=").append(key).append('=').append(value));
        return canonical.append("\u0000q=").append(normalizedQuery).toString();
    }
}
