package io.docstream.search;

import java.util.Map;
import java.util.Objects;

/**
 * Who is asking and what may match: every query is confined to one tenant; {@code filters} are
 * exact matches on metadata keys, all of which must hold.
 */
public record IndexQuery(String tenant, int k, Map<String, String> filters) {

    public IndexQuery {
        Objects.requireNonNull(tenant, "tenant");
        if (k < 1) {
            throw new IllegalArgumentException("k must be positive");
        }
        filters = filters == null ? Map.of() : Map.copyOf(filters);
    }
}
