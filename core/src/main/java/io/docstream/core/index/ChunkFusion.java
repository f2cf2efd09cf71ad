package io.docstream.core.index;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reciprocal rank fusion of chunk rankings, the client-side form of {@link SearchIndex#searchHybrid}.
 * A chunk is identified by its document and chunk index; ties keep the order in which chunks were first
 * seen, going through the rankings in order.
 */
final class ChunkFusion {

    private ChunkFusion() {
    }

    static List<IndexHit> rrf(List<List<IndexHit>> rankings, int rankConstant, int k) {
        Objects.requireNonNull(rankings, "rankings");
        if (rankConstant < 0) {
            throw new IllegalArgumentException("rankConstant must not be negative, was " + rankConstant);
        }
        Map<String, IndexHit> hits = new LinkedHashMap<>();
        Map<String, Double> scores = new LinkedHashMap<>();
        for (List<IndexHit> ranking : rankings) {
            int rank = 0;
            Set<String> seenInRanking = new HashSet<>();
            for (IndexHit hit : ranking) {
                String chunk = hit.documentId() + '\u0000' + hit.chunkIndex();
                if (!seenInRanking.add(chunk)) {
                    continue;
                }
                rank++;
                hits.putIfAbsent(chunk, hit);
                scores.merge(chunk, 1.0 / (rankConstant + rank), Double::sum);
            }
        }
        List<Map.Entry<String, Double>> fused = new ArrayList<>(scores.entrySet());
        fused.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
        return fused.stream().limit(k).map(entry -> {
            IndexHit hit = hits.get(entry.getKey());
            return new IndexHit(hit.documentId(), hit.chunkIndex(), hit.version(), hit.title(), hit.text(),
                    entry.getValue().floatValue());
        }).toList();
    }
}
