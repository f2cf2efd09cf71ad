package io.docstream.search;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who is asking and what may match: every query is confined to one tenant; {@code filters} are
 * exact matches on metadata keys, all of which must hold; {@code documentIds}, when not empty, confines the
 * query to those documents (a cache rescoring the documents a change touched asks this way).
 */
public record IndexQuery(String tenant, int k, Map<String, String> filters, Set<String> documentIds) {

    public IndexQuery {
        Objects.requireNonNull(tenant, "tenant");
        if (k < 1) {
            throw new IllegalArgumentException("k must be positive");
        }
        filters = filters == null ? Map.of() : Map.copyOf(filters);
        documentIds = documentIds == null ? Set.of() : Set.copyOf(documentIds);
    }

    /** Any document of the tenant that matches the filters. */
    public IndexQuery(String tenant, int k, Map<String, String> filters) {
        this(tenant, k, filters, Set.of());
    }
}
