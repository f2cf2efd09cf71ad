package io.docstream.cache;

import java.util.HashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One tenant's recent changes as a chain: every change moved the tenant's search generation from
 * {@code previous} to {@code generation} and names the document it changed (none for a change that cannot be
 * described, which every cached search must give way to). A cached search page records the generation it was
 * computed under; it may be served at a later generation only when the chain between the two is complete, so
 * a change this process never heard of (a gap, a Redis that lost its data, a trimmed history) can never be
 * skipped: the page is recomputed instead.
 */
public final class TenantChanges {

    /** A change of the tenant; {@code documentId} is null when it cannot be described. */
    public record Change(long generation, long previous, String documentId) {

        public boolean described() {
            return documentId != null && !documentId.isEmpty();
        }
    }

    private final NavigableMap<Long, Change> changes = new TreeMap<>();
    private final int maxEntries;

    public TenantChanges(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
    }

    /** Adds a change (again is harmless); the oldest go once there are more than {@code maxEntries}. */
    public synchronized void add(Change change) {
        Objects.requireNonNull(change, "change");
        changes.put(change.generation(), change);
        while (changes.size() > maxEntries) {
            changes.pollFirstEntry();
        }
    }

    /** The newest generation a change here moved the tenant to, 0 when none is known. */
    public synchronized long latest() {
        return changes.isEmpty() ? 0 : changes.lastKey();
    }

    /** Forgets changes to generations older than {@code generation}. */
    public synchronized void forgetBefore(long generation) {
        changes.headMap(generation, false).clear();
    }

    public synchronized int size() {
        return changes.size();
    }

    /**
     * The documents changed after generation {@code from} up to and including {@code to}, when this history can
     * prove it knows every change in between (each change's previous generation is the one before it, and the
     * last reaches {@code to}) and each was described; empty otherwise. {@code from >= to} changes nothing.
     */
    public synchronized Optional<Set<String>> documentsChanged(long from, long to) {
        if (from >= to) {
            return Optional.of(Set.of());
        }
        Set<String> documents = new HashSet<>();
        long reached = from;
        for (Map.Entry<Long, Change> entry : changes.subMap(from, false, to, true).entrySet()) {
            Change change = entry.getValue();
            if (change.previous() != reached || !change.described()) {
                return Optional.empty();
            }
            documents.add(change.documentId());
            reached = change.generation();
        }
        return reached == to ? Optional.of(Set.copyOf(documents)) : Optional.empty();
    }
}
