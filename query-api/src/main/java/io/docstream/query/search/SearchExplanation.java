package io.docstream.query.search;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Why a page's results scored what they did ({@code explain=true}): the fusion and its parameters for the whole
 * answer, and per result its place and score in each retrieval beside the fused score. With the parameters, a
 * client can recompute every fused score from its parts: RRF adds {@code 1 / (rankConstant + rank)} per retrieval,
 * weighted fusion adds {@code weight * (score - min) / divisor} (or the weight alone when the divisor is 0).
 *
 * @param fusion         {@code rrf} or {@code weighted} for a hybrid answer fused from both retrievals, else null
 * @param rankConstant   RRF's k (RRF only)
 * @param semanticWeight the dense ranking's weight (weighted only)
 * @param keywordWeight  the keyword ranking's weight (weighted only)
 * @param normalisation  {@code z-score} or {@code min-max} (weighted only)
 * @param keyword        how the keyword scores were normalised (weighted only)
 * @param dense          how the dense scores were normalised (weighted only)
 * @param candidates     how many documents each retrieval ranked
 */
record SearchExplanation(String fusion, Integer rankConstant, Double semanticWeight, Double keywordWeight,
        String normalisation, Fusion.Scale keyword, Fusion.Scale dense, int candidates) {

    /**
     * One result's parts; a retrieval that did not rank the document (or did not run) leaves its rank and score null.
     */
    record Parts(Integer keywordRank, Double keywordScore, Integer denseRank, Double denseScore, double fusedScore) {
    }

    /** An answer's explanation and each of its documents' parts, by document id. */
    record Explained(SearchExplanation explanation, Map<String, Parts> parts) {
    }

    /**
     * Explains the page's documents from the ranking they came from. An answer missing a retrieval (degraded, or from
     * the full-text fallback) has no candidate lists: its results carry the fused score only.
     */
    static Explained of(HybridSearch.Ranking ranking, SearchMode mode, SearchProperties.FusionMethod fusion,
            SearchProperties properties, List<RankedDocument> page) {
        HybridSearch.Candidates candidates = ranking.candidates();
        Map<String, Integer> keywordRanks = ranks(candidates == null ? null : candidates.keyword());
        Map<String, Integer> denseRanks = ranks(candidates == null ? null : candidates.dense());
        Map<String, Parts> parts = new HashMap<>();
        for (RankedDocument document : page) {
            String id = document.documentId();
            Integer keywordRank = keywordRanks.get(id);
            Integer denseRank = denseRanks.get(id);
            parts.put(id, new Parts(keywordRank,
                    keywordRank == null ? null : candidates.keyword().get(keywordRank - 1).score(),
                    denseRank, denseRank == null ? null : candidates.dense().get(denseRank - 1).score(),
                    document.score()));
        }
        boolean fused = mode == SearchMode.HYBRID && candidates != null && candidates.keyword() != null
                && candidates.dense() != null && fusion != null;
        int depth = candidates == null ? ranking.documents().size() : candidates.depth();
        if (!fused) {
            return new Explained(new SearchExplanation(null, null, null, null, null, null, null, depth), parts);
        }
        SearchExplanation explanation = switch (fusion) {
            case RRF -> new SearchExplanation(fusion.value(), properties.rrfRankConstant(), null, null, null, null,
                    null, depth);
            case WEIGHTED -> new SearchExplanation(fusion.value(), null, properties.semanticWeight(),
                    properties.keywordWeight(), normalisation(properties.normalisation()),
                    Fusion.scale(DocumentRanking.scored(candidates.keyword()), properties.normalisation()),
                    Fusion.scale(DocumentRanking.scored(candidates.dense()), properties.normalisation()), depth);
        };
        return new Explained(explanation, parts);
    }

    private static Map<String, Integer> ranks(List<RankedDocument> documents) {
        Map<String, Integer> ranks = new HashMap<>();
        if (documents != null) {
            for (int i = 0; i < documents.size(); i++) {
                ranks.putIfAbsent(documents.get(i).documentId(), i + 1);
            }
        }
        return ranks;
    }

    private static String normalisation(Fusion.Normalisation normalisation) {
        return switch (normalisation) {
            case MIN_MAX -> "min-max";
            case Z_SCORE -> "z-score";
        };
    }
}
