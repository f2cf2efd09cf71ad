package io.docstream.query.search;

import static io.docstream.query.search.SearchProperties.FusionMethod.RRF;
import static io.docstream.query.search.SearchProperties.FusionMethod.WEIGHTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.platform.errors.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchCursorTests {

    private final String fingerprint = SearchCursor.fingerprint("acme", "kafka", SearchMode.HYBRID, RRF, 10,
            Map.of("lang", "en", "topic", "x"));

    @Test
    void roundTripsTheOffsetForTheSameQuery() {
        assertThat(SearchCursor.decode(SearchCursor.encode(20, fingerprint), fingerprint, 100)).isEqualTo(20);
        assertThat(SearchCursor.decode(null, fingerprint, 100)).isZero();
    }

    @Test
    void fingerprintIgnoresFilterOrderButNotTheQuery() {
        assertThat(SearchCursor.fingerprint("acme", "kafka", SearchMode.HYBRID, RRF, 10, Map.of("topic", "x", "lang", "en")))
                .isEqualTo(fingerprint);
        assertThat(SearchCursor.fingerprint("acme", "kafka", SearchMode.KEYWORD, null, 10, Map.of("lang", "en", "topic", "x")))
                .isNotEqualTo(fingerprint);
        assertThat(SearchCursor.fingerprint("other", "kafka", SearchMode.HYBRID, RRF, 10, Map.of("lang", "en", "topic", "x")))
                .isNotEqualTo(fingerprint);
    }

    @Test
    void aCursorOfOneFusionDoesNotPageAnotherFusionsRanking() {
        String weighted = SearchCursor.fingerprint("acme", "kafka", SearchMode.HYBRID, WEIGHTED, 10,
                Map.of("lang", "en", "topic", "x"));

        assertThat(weighted).isNotEqualTo(fingerprint);
        assertThatThrownBy(() -> SearchCursor.decode(SearchCursor.encode(10, fingerprint), weighted, 100))
                .isInstanceOf(InvalidInputException.class);
        assertThat(SearchCursor.fingerprint("acme", "kafka", SearchMode.KEYWORD, WEIGHTED, 10, Map.of()))
                .isEqualTo(SearchCursor.fingerprint("acme", "kafka", SearchMode.KEYWORD, RRF, 10, Map.of()));
    }

    @Test
    void refusesForeignForgedAndOutOfRangeCursors() {
        String foreign = SearchCursor.encode(10, SearchCursor.fingerprint("acme", "other", SearchMode.HYBRID, RRF, 10,
                Map.of()));
        for (String cursor : new String[] {foreign, "%%%", "AAAA", SearchCursor.encode(500, fingerprint),
                SearchCursor.encode(0, fingerprint)}) {
            assertThatThrownBy(() -> SearchCursor.decode(cursor, fingerprint, 100))
                    .isInstanceOf(InvalidInputException.class);
        }
    }
}
