package io.docstream.core.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Merges ranked lists (dense and keyword) into one ranking. Reciprocal rank fusion uses ranks only;
 * weighted fusion min-max normalises each list's scores to [0, 1] and adds them with weights. An id
 * missing from a list gets nothing from it. Ties keep the order in which ids were first seen, going
 * through the lists in order, so results are deterministic.
 */
public final class Fusion {

    /** The constant of Cormack et al. (2009), which works well across collections. */
    public static final int DEFAULT_RANK_CONSTANT = 60;

    private Fusion() {
    }

    /** Reciprocal rank fusion with the default rank constant. */
    public static List<ScoredId> rrf(List<List<String>> rankings) {
        return rrf(rankings, DEFAULT_RANK_CONSTANT);
    }

    /**
     * Reciprocal rank fusion: each id scores {@code sum over lists of 1 / (rankConstant + rank)} with
     * ranks starting at 1; a repeated id within one list counts at its best rank only.
     */
    public static List<ScoredId> rrf(List<List<String>> rankings, int rankConstant) {
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

    /**
     * Score-normalised weighted fusion: per list, {@code (score - min) / (max - min)} (1 for every id
     * when all scores are equal), times the list's weight, summed per id. A repeated id within one
     * list counts with its best score only.
     */
    public static List<ScoredId> weighted(List<List<ScoredId>> rankings, List<Double> weights) {
        Objects.requireNonNull(rankings, "rankings");
        Objects.requireNonNull(weights, "weights");
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
            Map<String, Double> best = new LinkedHashMap<>();
            for (ScoredId scored : rankings.get(list)) {
                best.merge(scored.id(), scored.score(), Math::max);
            }
            double min = best.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
            double max = best.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
            double range = max - min;
            best.forEach((id, score) -> {
                double normalised = range > 0 ? (score - min) / range : 1.0;
                fused.merge(id, weight * normalised, Double::sum);
            });
        }
        return sorted(fused);
    }

    private static List<ScoredId> sorted(Map<String, Double> fused) {
        List<ScoredId> result = new ArrayList<>(fused.size());
        fused.forEach((id, score) -> result.add(new ScoredId(id, score)));
        // List.sort is stable: equal scores keep first-seen order.
        result.sort(Comparator.comparingDouble(ScoredId::score).reversed());
        return List.copyOf(result);
    }
}
