package io.docstream.query.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.docstream.platform.errors.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Fuzzes search cursors: a cursor decodes to the offset it was issued with, only for the search it was
 * issued for; anything else, garbage, another search's or one with an altered offset, is the documented
 * 400 problem and never another exception. Regression inputs live under
 * {@code SearchCursorFuzzTestsInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class SearchCursorFuzzTests {

    private static final int MAX_OFFSET = 400;

    @FuzzTest(maxDuration = "60s")
    void aCursorDecodesToItsOffsetForItsSearchOnly(FuzzedDataProvider data) {
        int offset = data.consumeInt(1, MAX_OFFSET);
        String tenant = data.consumeString(16);
        SearchMode mode = data.pickValue(SearchMode.values());
        int k = data.consumeInt(1, SearchController.MAX_K);
        Map<String, String> filters = data.consumeBoolean() ? Map.of("lang", data.consumeString(8)) : Map.of();
        String query = data.consumeRemainingAsString();
        String fingerprint = SearchCursor.fingerprint(tenant, query, mode, SearchProperties.FusionMethod.RRF, k, filters);

        String cursor = SearchCursor.encode(offset, fingerprint);

        assertThat(SearchCursor.decode(cursor, fingerprint, MAX_OFFSET)).isEqualTo(offset);
        String otherQuery = SearchCursor.fingerprint(tenant, query + "x", mode, SearchProperties.FusionMethod.RRF, k,
                filters);
        String otherTenant = SearchCursor.fingerprint(tenant + "x", query, mode, SearchProperties.FusionMethod.RRF, k,
                filters);
        assertRefused(() -> SearchCursor.decode(cursor, otherQuery, MAX_OFFSET));
        assertRefused(() -> SearchCursor.decode(cursor, otherTenant, MAX_OFFSET));
        assertRefused(() -> SearchCursor.decode(cursor, fingerprint, offset - 1));
        String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
        String moved = Base64.getUrlEncoder().withoutPadding().encodeToString((parts[0] + ":" + (offset % MAX_OFFSET + 1)
                + ":" + parts[2]).getBytes(StandardCharsets.UTF_8));
        assertRefused(() -> SearchCursor.decode(moved, fingerprint, MAX_OFFSET));
    }

    @FuzzTest(maxDuration = "60s")
    void garbageIsRefusedWithTheDocumentedProblem(FuzzedDataProvider data) {
        String cursor = data.consumeRemainingAsString();
        String fingerprint = SearchCursor.fingerprint("acme", "kafka", SearchMode.HYBRID,
                SearchProperties.FusionMethod.RRF, 10, Map.of());
        int offset;
        try {
            offset = SearchCursor.decode(cursor, fingerprint, MAX_OFFSET);
        } catch (InvalidInputException e) {
            assertThat(e.getMessage()).contains("'cursor'");
            return;
        }
        assertThat(offset).isBetween(cursor.isEmpty() ? 0 : 1, MAX_OFFSET);
    }

    private static void assertRefused(Runnable decode) {
        assertThatThrownBy(decode::run).isInstanceOf(InvalidInputException.class);
    }
}
