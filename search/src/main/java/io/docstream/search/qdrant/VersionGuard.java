package io.docstream.search.qdrant;

import io.docstream.search.IndexWrite;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which writes of a batch take effect, given the versions the index holds: a write older than
 * the version held (stored, or set earlier in the same batch) is skipped; an equal version is applied
 * again, which is what makes a retried batch harmless. Since every accepted write replaces the whole
 * document, only the last accepted write per document needs to reach Qdrant.
 */
final class VersionGuard {

    private VersionGuard() {
    }

    /**
     * @param stored the version held per document key, live or deleted; absent when the index never saw it
     */
    static Decision decide(List<IndexWrite> writes, Map<String, Long> stored) {
        Map<String, Long> held = new HashMap<>(stored);
        Map<String, IndexWrite> apply = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (IndexWrite write : writes) {
            String key = write.documentKey();
            if (write.version() < held.getOrDefault(key, Long.MIN_VALUE)) {
                skipped.add(key);
                continue;
            }
            held.put(key, write.version());
            apply.put(key, write);
        }
        return new Decision(List.copyOf(apply.values()), List.copyOf(skipped));
    }

    /** The writes to send, at most one per document, and the keys of skipped writes in batch order. */
    record Decision(List<IndexWrite> apply, List<String> skipped) {
    }
}
