package io.docstream.query.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class FusionTests {

    @Test
    void fusesRanksReciprocallyWithTheDefaultConstant() {
        List<ScoredId> fused = Fusion.rrf(List.of(List.of("a", "b", "c"), List.of("b", "d", "a")));

        // a: 1/61 + 1/63, b: 1/62 + 1/61, c: 1/63, d: 1/62
        assertThat(fused).extracting(ScoredId::id).containsExactly("b", "a", "d", "c");
        assertThat(fused.get(0).score()).isCloseTo(1.0 / 62 + 1.0 / 61, within(1e-12));
        assertThat(fused.get(1).score()).isCloseTo(1.0 / 61 + 1.0 / 63, within(1e-12));
        assertThat(fused.get(2).score()).isCloseTo(1.0 / 62, within(1e-12));
        assertThat(fused.get(3).score()).isCloseTo(1.0 / 63, within(1e-12));
    }

    @Test
    void letsTheRankConstantShiftWeightTowardsTopRanks() {
        // with k = 0: x = 1/1 = 1.0, y = 1/2 + 1/2 = 1.0 (tie, x seen first), z = 1/3 + 1/1
        List<ScoredId> fused = Fusion.rrf(List.of(List.of("x", "y", "z"), List.of("z", "y")), 0);

        assertThat(fused).extracting(ScoredId::id).containsExactly("z", "x", "y");
        assertThat(fused).extracting(ScoredId::score).containsExactly(4.0 / 3, 1.0, 1.0);
    }

    @Test
    void countsAnIdRepeatedInOneRankingAtItsBestRankOnly() {
        List<ScoredId> fused = Fusion.rrf(List.of(List.of("a", "a", "b")), 60);

        assertThat(fused).extracting(ScoredId::id).containsExactly("a", "b");
        assertThat(fused.get(1).score()).isCloseTo(1.0 / 62, within(1e-12));
    }

    @Test
    void normalisesScoresPerListBeforeWeighting() {
        List<ScoredId> dense = List.of(new ScoredId("a", 0.9), new ScoredId("b", 0.7), new ScoredId("c", 0.5));
        List<ScoredId> keyword = List.of(new ScoredId("c", 12.0), new ScoredId("d", 8.0), new ScoredId("a", 4.0));

        List<ScoredId> fused = Fusion.weighted(List.of(dense, keyword), List.of(0.6, 0.4));

        // dense normalised: a 1, b 0.5, c 0; keyword normalised: c 1, d 0.5, a 0
        // a = 0.6, b = 0.3, c = 0.4, d = 0.2
        assertThat(fused).extracting(ScoredId::id).containsExactly("a", "c", "b", "d");
        assertThat(fused).extracting(ScoredId::score).satisfiesExactly(
                a -> assertThat(a).isCloseTo(0.6, within(1e-12)),
                c -> assertThat(c).isCloseTo(0.4, within(1e-12)),
                b -> assertThat(b).isCloseTo(0.3, within(1e-12)),
                d -> assertThat(d).isCloseTo(0.2, within(1e-12)));
    }

    @Test
    void measuresZScoresInStandardDeviationsAboveTheListsWeakestEntry() {
        List<ScoredId> dense = List.of(new ScoredId("a", 0.9), new ScoredId("b", 0.7), new ScoredId("c", 0.5));
        List<ScoredId> keyword = List.of(new ScoredId("c", 12.0), new ScoredId("d", 8.0), new ScoredId("a", 4.0),
                new ScoredId("e", 4.0));

        List<ScoredId> fused = Fusion.weighted(List.of(dense, keyword), List.of(0.6, 0.4), Fusion.Normalisation.Z_SCORE);

        // dense: mean 0.7, standard deviation sqrt(0.08 / 3); keyword: mean 7, standard deviation sqrt(44 / 4)
        double denseDeviation = Math.sqrt(0.08 / 3);
        double keywordDeviation = Math.sqrt(44.0 / 4);
        assertThat(fused).extracting(ScoredId::id).containsExactly("a", "c", "b", "d", "e");
        assertThat(fused).extracting(ScoredId::score).satisfiesExactly(
                a -> assertThat(a).isCloseTo(0.6 * 0.4 / denseDeviation, within(1e-9)),
                c -> assertThat(c).isCloseTo(0.4 * 8 / keywordDeviation, within(1e-9)),
                b -> assertThat(b).isCloseTo(0.6 * 0.2 / denseDeviation, within(1e-9)),
                d -> assertThat(d).isCloseTo(0.4 * 4 / keywordDeviation, within(1e-9)),
                e -> assertThat(e).isZero());
    }

    @Test
    void ignoresTheScaleAndOffsetOfEachListsScores() {
        List<ScoredId> dense = List.of(new ScoredId("a", 0.9), new ScoredId("b", 0.7), new ScoredId("c", 0.2));
        List<ScoredId> keyword = List.of(new ScoredId("b", 12.0), new ScoredId("c", 9.0), new ScoredId("a", 1.0));
        List<ScoredId> rescaled = keyword.stream().map(scored -> new ScoredId(scored.id(), 100 + 3 * scored.score()))
                .toList();

        for (Fusion.Normalisation normalisation : Fusion.Normalisation.values()) {
            List<ScoredId> original = Fusion.weighted(List.of(dense, keyword), List.of(0.5, 0.5), normalisation);
            List<ScoredId> fused = Fusion.weighted(List.of(dense, rescaled), List.of(0.5, 0.5), normalisation);
            assertThat(fused).extracting(ScoredId::id).as(normalisation.name())
                    .containsExactlyElementsOf(original.stream().map(ScoredId::id).toList());
            for (int i = 0; i < fused.size(); i++) {
                assertThat(fused.get(i).score()).isCloseTo(original.get(i).score(), within(1e-9));
            }
        }
    }

    @Test
    void givesEveryIdOfAListWithEqualScoresTheFullWeight() {
        List<ScoredId> fused = Fusion.weighted(
                List.of(List.of(new ScoredId("a", 3.0), new ScoredId("b", 3.0)), List.of()), List.of(0.5, 0.5));

        assertThat(fused).containsExactly(new ScoredId("a", 0.5), new ScoredId("b", 0.5));
        assertThat(Fusion.weighted(List.of(List.of(new ScoredId("a", 3.0))), List.of(0.5), Fusion.Normalisation.Z_SCORE))
                .containsExactly(new ScoredId("a", 0.5));
    }

    @Test
    void refusesMismatchedOrNegativeWeights() {
        assertThatIllegalArgumentException().isThrownBy(() -> Fusion.weighted(List.of(List.of()), List.of(0.5, 0.5)));
        assertThatIllegalArgumentException().isThrownBy(() -> Fusion.weighted(List.of(List.of()), List.of(-1.0)));
        assertThatIllegalArgumentException().isThrownBy(() -> Fusion.rrf(List.of(), -1));
    }

    @Test
    void fusesNothingIntoNothing() {
        assertThat(Fusion.rrf(List.of())).isEmpty();
        assertThat(Fusion.weighted(List.of(List.of(), List.of()), List.of(1.0, 1.0))).isEmpty();
    }
}
