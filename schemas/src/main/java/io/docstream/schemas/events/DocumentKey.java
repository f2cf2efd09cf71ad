package io.docstream.schemas.events;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The key of every per-document topic, written as {@code tenant/documentId}. Neither part may
 * contain a slash, so the string form parses back unambiguously.
 */
public record DocumentKey(String tenant, String documentId) {

    public static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    public static final Pattern DOCUMENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    public DocumentKey {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(documentId, "documentId");
        if (!TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("invalid tenant: " + tenant);
        }
        if (!DOCUMENT_ID.matcher(documentId).matches()) {
            throw new IllegalArgumentException("invalid document id: " + documentId);
        }
    }

    public static DocumentKey parse(String value) {
        int slash = value.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("document key without '/': " + value);
        }
        return new DocumentKey(value.substring(0, slash), value.substring(slash + 1));
    }

    @Override
    public String toString() {
        return tenant + "/" + documentId;
    }
}
