package io.docstream.query.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Merges ranked lists (dense and keyword) into one ranking. Reciprocal rank fusion uses ranks only; weighted
 * fusion normalises each list's scores and adds them with weights. An id missing from a list gets nothing
 * from it. Ties keep the order in which ids were first seen, going through the lists in order, so results are
 * deterministic.
 */
final class Fusion {

    /** The constant of Cormack et al. (2009), which works well across collections. */
    static final int DEFAULT_RANK_CONSTANT = 60;

    /** How weighted fusion puts a list's scores (cosines, BM25 sums) on one scale before weighing them. */
    enum Normalisation {

        /** {@code (score - min) / (max - min)}: the list's best is 1, its weakest 0. */
        MIN_MAX,

        /**
         * {@code (score - min) / standardDeviation}: standard deviations above the list's weakest entry, so a clear
         * winner stands out by how far it leads rather than being 1 like any list's best.
         */
        Z_SCORE
    }

    private Fusion() {
    }

    /** Reciprocal rank fusion with the default rank constant. */
    static List<ScoredId> rrf(List<List<String>> rankings) {
        return rrf(rankings, DEFAULT_RANK_CONSTANT);
    }

    /**
     * Reciprocal rank fusion: each id scores {@code sum over lists of 1 / (rankConstant + rank)} with
     * ranks starting at 1; a repeated id within one list counts at its best rank only.
     */
    static List<ScoredId> rrf(List<List<String>> rankings, int rankConstant) {
        Objects.requireNonNull(rankings, "rankings");
        if (rankConstant < 0) {
            throw new IllegalArgumentException("rankConstant must not be negative, was " + rankConstant);
        }
        Map<String, Double> fused = new LinkedHashMap<>();
        for (List<String> ranking : rankings) {
            List<String> distinct = ranking.stream().distinct().toList();
            for (int i = 0; i < distinct.size(); i++) {
                fused.merge(distinct.get(i), 1.0 / (rankConstant + i + 1), Double::sum);
            }
        }
        return sorted(fused);
    }

    /** Weighted fusion with min-max normalisation. */
    static List<ScoredId> weighted(List<List<ScoredId>> rankings, List<Double> weights) {
        return weighted(rankings, weights, Normalisation.MIN_MAX);
    }

    /**
     * Score-normalised weighted fusion: per list, each score normalised as {@code normalisation} says (1 for every
     * id when all scores are equal), times the list's weight, summed per id. A repeated id within one list counts
     * with its best score only.
     */
    static List<ScoredId> weighted(List<List<ScoredId>> rankings, List<Double> weights, Normalisation normalisation) {
        Objects.requireNonNull(rankings, "rankings");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(normalisation, "normalisation");
        if (rankings.size() != weights.size()) {
            throw new IllegalArgumentException(
                    "Need one weight per ranking: " + rankings.size() + " rankings, " + weights.size() + " weights");
        }
        Map<String, Double> fused = new LinkedHashMap<>();
        for (int list = 0; list < rankings.size(); list++) {
            double weight = weights.get(list);
            if (!Double.isFinite(weight) || weight < 0) {
                throw new IllegalArgumentException("Weights must be finite and not negative, was " + weight);
            }
            Map<String, Double> best = best(rankings.get(list));
            Scale scale = Scale.of(best.values(), normalisation);
            best.forEach((id, score) -> fused.merge(id, weight * scale.normalised(score), Double::sum));
        }
        return sorted(fused);
    }

    /** How weighted fusion puts the scores of {@code ranking} on one scale; what {@code explain=true} shows. */
    static Scale scale(List<ScoredId> ranking, Normalisation normalisation) {
        return Scale.of(best(ranking).values(), normalisation);
    }

    private static Map<String, Double> best(List<ScoredId> ranking) {
        Map<String, Double> best = new LinkedHashMap<>();
        for (ScoredId scored : ranking) {
            best.merge(scored.id(), scored.score(), Math::max);
        }
        return best;
    }

    /** A list's weakest score and what a score's distance above it is divided by (0: every score counts 1). */
    record Scale(double min, double divisor) {

        static Scale of(java.util.Collection<Double> scores, Normalisation normalisation) {
            double min = scores.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            return new Scale(min, divisorOf(scores, min, normalisation));
        }

        double normalised(double score) {
            return divisor > 0 ? (score - min) / divisor : 1.0;
        }
    }

    /** What a score's distance above the list's minimum is divided by: the range, or the standard deviation. */
    private static double divisorOf(java.util.Collection<Double> scores, double min, Normalisation normalisation) {
        return switch (normalisation) {
            case MIN_MAX -> scores.stream().mapToDouble(Double::doubleValue).max().orElse(0) - min;
            case Z_SCORE -> {
                double mean = scores.stream().mapToDouble(Double::doubleValue).average().orElse(0);
                double variance = scores.stream().mapToDouble(score -> (score - mean) * (score - mean)).average()
                        .orElse(0);
                yield Math.sqrt(variance);
            }
        };
    }

    private static List<ScoredId> sorted(Map<String, Double> fused) {
        List<ScoredId> result = new ArrayList<>(fused.size());
        fused.forEach((id, score) -> result.add(new ScoredId(id, score)));
        // List.sort is stable: equal scores keep first-seen order.
        result.sort(Comparator.comparingDouble(ScoredId::score).reversed());
        return List.copyOf(result);
    }
}
