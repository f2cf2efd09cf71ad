package io.docstream.schemas.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A document version a client wrote and wants its reads to reflect: {@code <documentId>@<version>}, e.g.
 * {@code handbook-7@1765105200000123}. Ingest hands one out with every accepted write and with the status answer; a
 * search or document read that passes it ({@code consistentWith=} or the {@code Consistent-With} header) is answered
 * only once the answering instance has applied that version's cache invalidation (read-your-writes). The tenant is
 * the API key's, so a token names no tenant.
 */
public record ConsistencyToken(String documentId, long version) {

    /** The most tokens one request may carry. */
    public static final int MAX_PER_REQUEST = 100;

    public ConsistencyToken {
        Objects.requireNonNull(documentId, "documentId");
        if (!DocumentKey.DOCUMENT_ID.matcher(documentId).matches() || version < 1) {
            throw new IllegalArgumentException("not a consistency token: " + documentId + "@" + version);
        }
    }

    /** {@code documentId@version} ({@code @} never occurs in a document id). */
    @Override
    public String toString() {
        return documentId + "@" + version;
    }

    /**
     * The tokens of comma-separated values, e.g. a repeated query parameter and a header together.
     *
     * @throws IllegalArgumentException naming the first value that is not a token, or when there are more than
     *                                  {@link #MAX_PER_REQUEST}
     */
    public static List<ConsistencyToken> parseAll(List<String> values) {
        List<ConsistencyToken> tokens = new ArrayList<>();
        for (String value : values) {
            for (String part : value.split(",")) {
                String token = part.strip();
                if (!token.isEmpty()) {
                    tokens.add(parse(token));
                }
            }
        }
        if (tokens.size() > MAX_PER_REQUEST) {
            throw new IllegalArgumentException("at most " + MAX_PER_REQUEST + " consistency tokens per request");
        }
        return List.copyOf(tokens);
    }

    /** @throws IllegalArgumentException when {@code token} is not {@code documentId@version} */
    public static ConsistencyToken parse(String token) {
        int at = token.lastIndexOf('@');
        if (at <= 0 || at == token.length() - 1) {
            throw new IllegalArgumentException("'" + token + "' is not a consistency token (documentId@version)");
        }
        try {
            return new ConsistencyToken(token.substring(0, at), Long.parseLong(token.substring(at + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + token + "' is not a consistency token (documentId@version)", e);
        }
    }
}
