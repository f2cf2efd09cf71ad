package io.docstream.platform.tenancy;

import java.util.Arrays;
import java.util.Locale;

/** What an API key may do. Stored lower case in {@code api_keys.scopes}. */
public enum Scope {

    INGEST, SEARCH, ADMIN;

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
