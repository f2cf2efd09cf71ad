package io.docstream.query.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.docstream.platform.errors.InvalidInputException;
import io.docstream.search.TextAnalysis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fuzzes how {@code q} and {@code filter} become a search: parameters are read or refused with a 400
 * problem and nothing else; the normalised query is stable and finds exactly what the query finds (the
 * same analysed terms); the canonical request, the cache key, separates its parts unambiguously whatever
 * the text. Regression inputs live under {@code SearchRequestsFuzzTestsInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class SearchRequestsFuzzTests {

    @FuzzTest(maxDuration = "60s")
    void theNormalizedQueryFindsWhatTheQueryFinds(FuzzedDataProvider data) {
        String q = data.consumeRemainingAsString();
        String query;
        try {
            query = SearchRequests.query(q);
        } catch (InvalidInputException e) {
            return;
        }
        assertThat(query).isNotBlank().doesNotContain("\u0000");
        String normalized = SearchRequests.normalizeQuery(query);

        assertThat(SearchRequests.normalizeQuery(normalized)).as("normalising twice changes nothing").isEqualTo(normalized);
        assertThat(TextAnalysis.terms(normalized)).as("the index sees the same terms").isEqualTo(TextAnalysis.terms(query));
    }

    @FuzzTest(maxDuration = "60s")
    void filtersAreReadOrRefused(FuzzedDataProvider data) {
        List<String> parameters = new ArrayList<>();
        int count = data.consumeInt(0, SearchRequests.MAX_FILTERS + 2);
        for (int i = 0; i < count; i++) {
            parameters.add(data.consumeString(80));
        }
        Map<String, String> filters;
        try {
            filters = SearchRequests.filters(parameters);
        } catch (InvalidInputException e) {
            return;
        }
        assertThat(filters).hasSizeLessThanOrEqualTo(SearchRequests.MAX_FILTERS);
        filters.forEach((key, value) -> {
            assertThat(key).matches("[A-Za-z0-9_.-]{1,64}");
            assertThat(value).isNotEmpty().doesNotContain("\u0000");
        });
        for (String parameter : parameters) {
            int colon = parameter.indexOf(':');
            assertThat(filters.get(parameter.substring(0, colon))).isEqualTo(parameter.substring(colon + 1));
        }
    }

    @FuzzTest(maxDuration = "60s")
    void theCanonicalRequestSeparatesItsPartsUnambiguously(FuzzedDataProvider data) {
        SearchMode mode = data.pickValue(SearchMode.values());
        SearchProperties.FusionMethod fusion = mode == SearchMode.HYBRID
                ? data.pickValue(SearchProperties.FusionMethod.values()) : null;
        int k = data.consumeInt(1, SearchController.MAX_K);
        int offset = data.consumeInt(0, 1000);
        Map<String, String> filters = new TreeMap<>();
        int count = data.consumeInt(0, 4);
        for (int i = 0; i < count; i++) {
            filters.put("key" + data.consumeInt(0, 9), data.consumeString(20));
        }
        String query = data.consumeRemainingAsString();

        String canonical = SearchRequests.normalize(mode, fusion, k, filters, offset, query);

        List<String> parts = List.of(canonical.split("\u0000", -1));
        int fixed = fusion == null ? 3 : 4;
        assertThat(parts).hasSize(fixed + filters.size() + 1);
        assertThat(parts.getLast()).startsWith("q=");
        assertThat(unescape(parts.getLast().substring(2))).isEqualTo(query);
        List<String> expectedFilters = new ArrayList<>();
        filters.forEach((key, value) -> expectedFilters.add(key + "=" + value));
        assertThat(parts.subList(fixed, fixed + filters.size()).stream()
                .map(part -> unescape(part.substring("filter=".length()))).toList()).isEqualTo(expectedFilters);
    }

    private static String unescape(String part) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '\\' && i + 1 < part.length()) {
                char next = part.charAt(++i);
                text.append(next == '0' ? '\u0000' : next);
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }
}
