package io.docstream.query.search;

import com.github.benmanes.caffeine.cache.Interner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a cached search page was computed from, so a change of the tenant can be judged against it instead of
 * dropping it: the tenant generation it holds for, when it was computed, each retrieval's whole candidate list
 * with raw scores (null for a retrieval the mode does not use), the spread the dense length prior was scaled by,
 * and the depth each retrieval went to. Document ids are interned, so pages of one tenant share them.
 */
record PageDependencies(long generation, long computedAtMillis, CandidateList keyword, CandidateList dense,
        double spread, int depth) {

    private static final Interner<String> IDS = Interner.newWeakInterner();

    static PageDependencies of(long generation, long computedAtMillis, HybridSearch.Candidates candidates) {
        return new PageDependencies(generation, computedAtMillis, CandidateList.of(candidates.keyword()),
                CandidateList.of(candidates.dense()), candidates.spread(), candidates.depth());
    }

    /** The same page, proven to hold at {@code newGeneration}, with the candidate lists it now stands on. */
    PageDependencies at(long newGeneration, CandidateList newKeyword, CandidateList newDense) {
        return new PageDependencies(newGeneration, computedAtMillis, newKeyword, newDense, spread, depth);
    }

    /**
     * Bytes this page's dependencies hold of their own on a 64-bit JVM with compressed references: the arrays of
     * references and scores and the records; the interned id strings are shared and not counted.
     */
    long retainedBytes() {
        return 48 + (keyword == null ? 0 : keyword.retainedBytes()) + (dense == null ? 0 : dense.retainedBytes());
    }

    /** One retrieval's candidates best first: ids, raw scores and versions (which order equal scores). */
    record CandidateList(String[] ids, double[] scores, long[] versions) {

        static CandidateList of(List<RankedDocument> ranking) {
            if (ranking == null) {
                return null;
            }
            String[] ids = new String[ranking.size()];
            double[] scores = new double[ranking.size()];
            long[] versions = new long[ranking.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = IDS.intern(ranking.get(i).documentId());
                scores[i] = ranking.get(i).score();
                versions[i] = ranking.get(i).version();
            }
            return new CandidateList(ids, scores, versions);
        }

        /**
         * The list after the {@code changed} documents took their new scores ({@code now}; absent: the retrieval no
         * longer finds them; {@code documents} gives their versions): they leave their old places, enter at their new
         * scores, and the list keeps its best {@code depth}, ordered as a retrieval orders them
         * ({@link DocumentRanking#BEST_FIRST}).
         */
        CandidateList replaced(Set<String> changed, Map<String, Double> now, Map<String, RankedDocument> documents,
                int depth) {
            List<RankedDocument> ranked = new ArrayList<>(ids.length + changed.size());
            for (int i = 0; i < ids.length; i++) {
                if (!changed.contains(ids[i])) {
                    ranked.add(new RankedDocument(ids[i], null, versions[i], scores[i], null));
                }
            }
            now.forEach((id, score) -> {
                RankedDocument document = documents.get(id);
                if (changed.contains(id) && document != null) {
                    ranked.add(new RankedDocument(id, null, document.version(), score, null));
                }
            });
            ranked.sort(DocumentRanking.BEST_FIRST);
            return of(ranked.size() > depth ? ranked.subList(0, depth) : ranked);
        }

        boolean containsAny(Set<String> documents) {
            for (String id : ids) {
                if (documents.contains(id)) {
                    return true;
                }
            }
            return false;
        }

        List<ScoredId> scored() {
            List<ScoredId> scored = new ArrayList<>(ids.length);
            for (int i = 0; i < ids.length; i++) {
                scored.add(new ScoredId(ids[i], scores[i]));
            }
            return scored;
        }

        private long retainedBytes() {
            return 16 + (16 + 4L * ids.length) + 2 * (16 + 8L * scores.length);
        }
    }
}
