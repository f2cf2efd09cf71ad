package io.docstream.platform.tenancy;

import java.util.Arrays;
import java.util.Locale;

/**
 * What an API key may do. Stored lower case in {@code api_keys.scopes}. {@code operator} manages tenants (create,
 * list, disable): the one scope that reaches past the key's own tenant, held by the deployment's bootstrap key and
 * granted only by a key that holds it.
 */
public enum Scope {

    INGEST, SEARCH, ADMIN, OPERATOR;

    /** The stored and displayed form, e.g. {@code ingest}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the stored form (case-insensitive); unknown names are an {@link IllegalArgumentException}. */
    public static Scope fromValue(String value) {
        return Arrays.stream(values())
                .filter(scope -> scope.value().equalsIgnoreCase(value.strip()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scope: " + value));
    }
}
