package io.docstream.query.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SearchExplanationTests {

    private static final List<RankedDocument> KEYWORD = List.of(document("a", 7.5), document("b", 4.25),
            document("c", 4.0), document("d", 0.5));
    private static final List<RankedDocument> DENSE = List.of(document("c", 0.81), document("e", 0.77),
            document("a", 0.52));

    @ParameterizedTest
    @EnumSource(Fusion.Normalisation.class)
    void aWeightedScoreIsTheWeightedSumOfItsNormalisedParts(Fusion.Normalisation normalisation) {
        SearchProperties properties = properties(normalisation);
        SearchExplanation.Explained explained = explain(properties, SearchProperties.FusionMethod.WEIGHTED);

        SearchExplanation explanation = explained.explanation();
        assertThat(explanation.fusion()).isEqualTo("weighted");
        assertThat(explained.parts()).containsOnlyKeys("a", "b", "c", "d", "e");
        explained.parts().forEach((id, parts) -> {
            double keyword = parts.keywordScore() == null ? 0 : explanation.keyword().normalised(parts.keywordScore());
            double dense = parts.denseScore() == null ? 0 : explanation.dense().normalised(parts.denseScore());
            assertThat(parts.fusedScore()).as(id).isCloseTo(explanation.keywordWeight() * keyword
                    + explanation.semanticWeight() * dense, within(1e-12));
        });
        assertThat(explained.parts().get("c")).isEqualTo(new SearchExplanation.Parts(3, 4.0, 1, 0.81,
                explained.parts().get("c").fusedScore()));
        assertThat(explained.parts().get("e").keywordRank()).isNull();
    }

    @Test
    void anRrfScoreIsTheSumOfItsReciprocalRanks() {
        SearchExplanation.Explained explained = explain(properties(Fusion.Normalisation.Z_SCORE),
                SearchProperties.FusionMethod.RRF);

        int k = explained.explanation().rankConstant();
        assertThat(explained.explanation().keyword()).isNull();
        explained.parts().forEach((id, parts) -> assertThat(parts.fusedScore()).as(id).isCloseTo(
                reciprocal(parts.keywordRank(), k) + reciprocal(parts.denseRank(), k), within(1e-12)));
        assertThat(explained.parts().get("a").denseRank()).isEqualTo(3);
    }

    @Test
    void anAnswerWithoutCandidateListsCarriesItsScoresOnly() {
        HybridSearch.Ranking degraded = new HybridSearch.Ranking(KEYWORD, List.of(HybridSearch.SEMANTIC));

        SearchExplanation.Explained explained = SearchExplanation.of(degraded, SearchMode.HYBRID,
                SearchProperties.FusionMethod.RRF, properties(Fusion.Normalisation.Z_SCORE), KEYWORD);

        assertThat(explained.explanation().fusion()).isNull();
        assertThat(explained.parts().get("a")).isEqualTo(new SearchExplanation.Parts(null, null, null, null, 7.5));
    }

    private static SearchExplanation.Explained explain(SearchProperties properties,
            SearchProperties.FusionMethod fusion) {
        try (HybridSearch search = new HybridSearch(null, null, properties)) {
            List<RankedDocument> page = search.fuseUntraced(DENSE, KEYWORD, fusion).documents();
            HybridSearch.Ranking ranking = new HybridSearch.Ranking(page, List.of(),
                    new HybridSearch.Candidates(KEYWORD, DENSE, 0.1, 100));
            return search.explain(ranking, SearchMode.HYBRID, fusion, page);
        }
    }

    private static double reciprocal(Integer rank, int k) {
        return rank == null ? 0 : 1.0 / (k + rank);
    }

    private static RankedDocument document(String id, double score) {
        return new RankedDocument(id, id, 1, score, null);
    }

    private static SearchProperties properties(Fusion.Normalisation normalisation) {
        return new SearchProperties(SearchProperties.FusionMethod.WEIGHTED, normalisation, 60, 0.6, 0.4, 1.0, 100, 4,
                2, Duration.ofSeconds(10));
    }
}
