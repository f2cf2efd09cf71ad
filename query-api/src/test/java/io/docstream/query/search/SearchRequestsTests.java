package io.docstream.query.search;

import static io.docstream.query.search.SearchProperties.FusionMethod.RRF;
import static io.docstream.query.search.SearchProperties.FusionMethod.WEIGHTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchRequestsTests {

    @Test
    void queriesThatDifferOnlyInCaseAndSpacingAreTheSameQuery() {
        assertThat(SearchRequests.normalizeQuery("  Apache\tKAFKA   streams \n"))
                .isEqualTo(SearchRequests.normalizeQuery("apache kafka streams"))
                .isEqualTo("apache kafka streams");
    }

    @Test
    void filtersGivenInAnyOrderAreTheSameRequest() {
        Map<String, String> oneOrder = new LinkedHashMap<>();
        oneOrder.put("lang", "en");
        oneOrder.put("topic", "food");
        Map<String, String> otherOrder = new LinkedHashMap<>();
        otherOrder.put("topic", "food");
        otherOrder.put("lang", "en");

        assertThat(SearchRequests.normalize(SearchMode.HYBRID, RRF, 10, oneOrder, 0, "bread"))
                .isEqualTo(SearchRequests.normalize(SearchMode.HYBRID, RRF, 10, otherOrder, 0, "bread"));
    }

    @Test
    void modePageSizePageAndFiltersEachMakeADifferentRequest() {
        String base = SearchRequests.normalize(SearchMode.HYBRID, RRF, 10, Map.of(), 0, "bread");

        assertThat(SearchRequests.normalize(SearchMode.KEYWORD, null, 10, Map.of(), 0, "bread")).isNotEqualTo(base);
        assertThat(SearchRequests.normalize(SearchMode.HYBRID, RRF, 11, Map.of(), 0, "bread")).isNotEqualTo(base);
        assertThat(SearchRequests.normalize(SearchMode.HYBRID, RRF, 10, Map.of(), 10, "bread")).isNotEqualTo(base);
        assertThat(SearchRequests.normalize(SearchMode.HYBRID, RRF, 10, Map.of("lang", "en"), 0, "bread")).isNotEqualTo(base);
    }

    @Test
    void hybridSearchesWithAnotherFusionAreAnotherRequest() {
        String rrf = SearchRequests.normalize(SearchMode.HYBRID, RRF, 10, Map.of(), 0, "bread");

        assertThat(SearchRequests.normalize(SearchMode.HYBRID, WEIGHTED, 10, Map.of(), 0, "bread")).isNotEqualTo(rrf);
    }

    @Test
    void theFusionDoesNotSplitTheCacheOfModesThatFuseNothing() {
        for (SearchMode mode : List.of(SearchMode.KEYWORD, SearchMode.SEMANTIC)) {
            assertThat(SearchRequests.normalize(mode, WEIGHTED, 10, Map.of(), 0, "bread"))
                    .isEqualTo(SearchRequests.normalize(mode, RRF, 10, Map.of(), 0, "bread"))
                    .isEqualTo(SearchRequests.normalize(mode, null, 10, Map.of(), 0, "bread"));
        }
    }
}
