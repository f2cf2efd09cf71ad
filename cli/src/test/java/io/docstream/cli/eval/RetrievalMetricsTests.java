package io.docstream.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The BEIR measures on rankings worked out by hand; the arithmetic is in the comments. */
class RetrievalMetricsTests {

    private static final Offset<Double> CLOSE = within(1e-9);

    /** d1 is highly relevant, d2 and d4 relevant, d3 judged not relevant. */
    private static final Map<String, Integer> GRADED = Map.of("d1", 2, "d2", 1, "d3", 0, "d4", 1);

    @Test
    void ndcgUsesTheGradeAsGainAndTheJudgedGradesForTheIdealRanking() {
        // ranking d3 d1 d5 d2:
        // DCG  = 0/log2(2) + 2/log2(3) + 0/log2(4) + 1/log2(5) = 1.2618595 + 0.4306766 = 1.6925361
        // IDCG = 2/log2(2) + 1/log2(3) + 1/log2(4)           = 2 + 0.6309298 + 0.5     = 3.1309298
        // nDCG@10 = 1.6925361 / 3.1309298 = 0.5405858
        List<String> ranking = List.of("d3", "d1", "d5", "d2");

        double dcg = 2 / log2(3) + 1 / log2(5);
        double idealDcg = 2 + 1 / log2(3) + 1 / log2(4);
        assertThat(RetrievalMetrics.ndcg(ranking, GRADED, 10)).isCloseTo(dcg / idealDcg, CLOSE)
                .isCloseTo(0.5405858, within(1e-7));
        // recall@100: d1 and d2 of the three relevant d1, d2, d4 = 2/3
        assertThat(RetrievalMetrics.recall(ranking, GRADED, 100)).isCloseTo(2.0 / 3, CLOSE);
        // the first relevant document, d1, is at rank 2: 1/2
        assertThat(RetrievalMetrics.reciprocalRank(ranking, GRADED, 10)).isCloseTo(0.5, CLOSE);
        assertThat(RetrievalMetrics.firstRelevantRank(ranking, GRADED)).isEqualTo(2);
    }

    @Test
    void aRankingInTheIdealOrderScoresOne() {
        // d1 (2), d2 (1), d4 (1): DCG = IDCG = 2 + 1/log2(3) + 1/log2(4)
        assertThat(RetrievalMetrics.ndcg(List.of("d1", "d2", "d4", "d3"), GRADED, 10)).isCloseTo(1.0, CLOSE);
        // the same documents with the highly relevant one last scores less:
        // DCG = 1 + 1/log2(3) + 2/log2(4) = 2.6309298; / 3.1309298 = 0.8403030
        assertThat(RetrievalMetrics.ndcg(List.of("d2", "d4", "d1"), GRADED, 10)).isCloseTo(0.8403030, within(1e-7));
    }

    @Test
    void aQueryWithNoRelevantDocumentRetrievedScoresZero() {
        List<String> ranking = List.of("x", "y", "d3");

        assertThat(RetrievalMetrics.ndcg(ranking, GRADED, 10)).isZero();
        assertThat(RetrievalMetrics.recall(ranking, GRADED, 100)).isZero();
        assertThat(RetrievalMetrics.reciprocalRank(ranking, GRADED, 10)).isZero();
        assertThat(RetrievalMetrics.firstRelevantRank(ranking, GRADED)).isZero();
        assertThat(RetrievalMetrics.ndcg(List.of(), GRADED, 10)).isZero();
    }

    @Test
    void aDocumentListedTwiceCountsAtItsFirstRankOnly() {
        Map<String, Integer> judged = Map.of("a", 1, "b", 1);
        // a a b is read as a b: DCG = 1 + 1/log2(3) = IDCG, so nDCG = 1 (counting the second a would give
        // 1 + 1/log2(3) + 1/log2(4) = 2.13 > IDCG); recall 2/2; b is at rank 2, not 3
        List<String> ranking = List.of("a", "a", "b");

        assertThat(RetrievalMetrics.ndcg(ranking, judged, 10)).isCloseTo(1.0, CLOSE);
        assertThat(RetrievalMetrics.recall(ranking, judged, 100)).isCloseTo(1.0, CLOSE);
        assertThat(RetrievalMetrics.firstRelevantRank(List.of("x", "x", "b"), judged)).isEqualTo(2);
    }

    @Test
    void cutOffsLeaveOutWhatIsRankedBelowThem() {
        List<String> ranking = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            ranking.add("noise-" + i);
        }
        ranking.add("d1");
        // d1 at rank 11: outside the top 10 for nDCG@10 and MRR@10, inside the top 100 for recall
        // (1 of the 3 relevant), and outside a top-10 recall
        assertThat(RetrievalMetrics.ndcg(ranking, GRADED, 10)).isZero();
        assertThat(RetrievalMetrics.reciprocalRank(ranking, GRADED, 10)).isZero();
        assertThat(RetrievalMetrics.recall(ranking, GRADED, 100)).isCloseTo(1.0 / 3, CLOSE);
        assertThat(RetrievalMetrics.recall(ranking, GRADED, 10)).isZero();
        assertThat(RetrievalMetrics.firstRelevantRank(ranking, GRADED)).isEqualTo(11);
    }

    @Test
    void averagesOverQueriesThatHaveARelevantDocumentOnly() {
        RetrievalMetrics.Averages averages = new RetrievalMetrics.Averages();
        // q1: the one relevant document first: nDCG 1, recall 1, RR 1
        averages.add("q1", List.of("a", "b"), Map.of("a", 1));
        // q2: the one relevant document fourth: nDCG = (1/log2(5)) / 1 = 0.4306766, recall 1, RR 1/4
        averages.add("q2", List.of("x", "y", "z", "c"), Map.of("c", 1));
        // q3: judged, but nothing relevant: not part of the averages (BEIR drops it)
        averages.add("q3", List.of("a"), Map.of("a", 0));
        // q4: no relevant document retrieved: 0, 0, 0
        averages.add("q4", List.of("x"), Map.of("d", 3));

        assertThat(averages.queries()).isEqualTo(3);
        // (1 + 0.4306766 + 0) / 3 = 0.4768922
        assertThat(averages.ndcg10()).isCloseTo((1 + 1 / log2(5)) / 3, CLOSE).isCloseTo(0.4768922, within(1e-7));
        // (1 + 1 + 0) / 3
        assertThat(averages.recall100()).isCloseTo(2.0 / 3, CLOSE);
        // (1 + 0.25 + 0) / 3 = 0.4166667
        assertThat(averages.mrr10()).isCloseTo(1.25 / 3, CLOSE);
    }

    private static double log2(int x) {
        return Math.log(x) / Math.log(2);
    }
}
