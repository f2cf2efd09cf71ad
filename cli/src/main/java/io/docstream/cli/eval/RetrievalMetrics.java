package io.docstream.cli.eval;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The per-query measures of BEIR (as pytrec_eval computes them) for one ranking against one query's
 * relevance judgements: nDCG@k with the judged grade as gain and a log2(rank + 1) discount, recall@k and
 * reciprocal rank within the first k. A document counts as relevant when its grade is above 0; a document
 * listed twice counts at its first rank only, as a run file with one score per document would have it.
 */
final class RetrievalMetrics {

    private RetrievalMetrics() {
    }

    /** nDCG@k: DCG of the ranking over the ideal DCG of the judged grades; 0 when nothing is relevant. */
    static double ndcg(List<String> ranking, Map<String, Integer> judged, int k) {
        List<String> ranked = distinct(ranking);
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            dcg += gain(judged, ranked.get(i)) / log2(i + 2);
        }
        List<Integer> ideal = judged.values().stream().filter(grade -> grade > 0)
                .sorted((a, b) -> Integer.compare(b, a)).toList();
        double idealDcg = 0;
        for (int i = 0; i < Math.min(k, ideal.size()); i++) {
            idealDcg += ideal.get(i) / log2(i + 2);
        }
        return idealDcg == 0 ? 0 : dcg / idealDcg;
    }

    /** Recall@k: relevant documents within the first k over all relevant ones; 0 when nothing is relevant. */
    static double recall(List<String> ranking, Map<String, Integer> judged, int k) {
        long relevant = judged.values().stream().filter(grade -> grade > 0).count();
        if (relevant == 0) {
            return 0;
        }
        List<String> ranked = distinct(ranking);
        long found = ranked.subList(0, Math.min(k, ranked.size())).stream()
                .filter(id -> gain(judged, id) > 0).count();
        return (double) found / relevant;
    }

    /** 1 / rank of the first relevant document within the first k, else 0. */
    static double reciprocalRank(List<String> ranking, Map<String, Integer> judged, int k) {
        int rank = firstRelevantRank(ranking, judged);
        return rank > 0 && rank <= k ? 1.0 / rank : 0;
    }

    /** The 1-based rank of the first relevant document in the whole ranking, or 0 when none is there. */
    static int firstRelevantRank(List<String> ranking, Map<String, Integer> judged) {
        List<String> ranked = distinct(ranking);
        for (int i = 0; i < ranked.size(); i++) {
            if (gain(judged, ranked.get(i)) > 0) {
                return i + 1;
            }
        }
        return 0;
    }

    /** Whether a query takes part in the averages: BEIR evaluates queries with a relevant document only. */
    static boolean hasRelevant(Map<String, Integer> judged) {
        return judged != null && judged.values().stream().anyMatch(grade -> grade > 0);
    }

    private static int gain(Map<String, Integer> judged, String id) {
        return Math.max(0, judged.getOrDefault(id, 0));
    }

    private static List<String> distinct(List<String> ranking) {
        Set<String> seen = new HashSet<>();
        return ranking.stream().filter(seen::add).toList();
    }

    private static double log2(int x) {
        return Math.log(x) / Math.log(2);
    }

    /** Running means over the queries of one mode. */
    static final class Averages {

        private final Set<String> queries = new LinkedHashSet<>();
        private double ndcg10;
        private double recall100;
        private double mrr10;

        /** Adds one query's ranking; queries without a relevant document are skipped, as BEIR does. */
        void add(String queryId, List<String> ranking, Map<String, Integer> judged) {
            if (!hasRelevant(judged) || !queries.add(queryId)) {
                return;
            }
            ndcg10 += ndcg(ranking, judged, 10);
            recall100 += recall(ranking, judged, 100);
            mrr10 += reciprocalRank(ranking, judged, 10);
        }

        int queries() {
            return queries.size();
        }

        double ndcg10() {
            return mean(ndcg10);
        }

        double recall100() {
            return mean(recall100);
        }

        double mrr10() {
            return mean(mrr10);
        }

        private double mean(double sum) {
            return queries.isEmpty() ? 0 : sum / queries.size();
        }
    }
}
