package io.docstream.query.search;

import io.docstream.platform.Hashing;
import io.docstream.platform.errors.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * An opaque page token: the offset into the ranking plus a digest of that offset and the fingerprint of the
 * query it belongs to, so a cursor replayed with another query, mode, fusion, filter set or page size, or one
 * whose offset was altered, is refused instead of paging through the wrong ranking. The digest is a
 * consistency check, not a secret: a cursor only ever pages the caller's own search.
 */
final class SearchCursor {

    private static final String VERSION = "s1";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private SearchCursor() {
    }

    static String encode(int offset, String fingerprint) {
        String position = Integer.toString(offset);
        return ENCODER.encodeToString((VERSION + ":" + position + ":" + seal(position, fingerprint))
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The offset a cursor points at; 0 without a cursor; a 400 problem for anything not issued for this query. */
    static int decode(String cursor, String fingerprint, int maxOffset) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        String[] parts;
        try {
            parts = new String(DECODER.decode(cursor), StandardCharsets.UTF_8).split(":", -1);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (parts.length != 3 || !VERSION.equals(parts[0]) || !MessageDigest.isEqual(
                seal(parts[1], fingerprint).getBytes(StandardCharsets.UTF_8), parts[2].getBytes(StandardCharsets.UTF_8))) {
            throw invalid();
        }
        try {
            int offset = Integer.parseInt(parts[1]);
            if (offset < 1 || offset > maxOffset) {
                throw invalid();
            }
            return offset;
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    /** The fingerprint of a search; the fusion method counts for hybrid searches only, as in the cache key. */
    static String fingerprint(String tenant, String query, SearchMode mode, SearchProperties.FusionMethod fusion, int k,
            Map<String, String> filters) {
        StringBuilder canonical = new StringBuilder()
                .append(SearchRequests.escape(tenant)).append('\u0000').append(SearchRequests.escape(query))
                .append('\u0000').append(mode.value())
                .append('\u0000').append(k);
        if (mode == SearchMode.HYBRID && fusion != null) {
            canonical.append("\u0000fusion=").append(fusion.value());
        }
        new TreeMap<>(filters).forEach((key, value) -> canonical.append('\u0000').append(SearchRequests.escape(key))
                .append('=').append(SearchRequests.escape(value)));
        return sha256(canonical.toString());
    }

    /** The digest binding an offset, exactly as written in the cursor, to the search it pages. */
    private static String seal(String offset, String fingerprint) {
        return sha256(offset + '\u0000' + fingerprint);
    }

    private static String sha256(String text) {
        return HexFormat.of().formatHex(Hashing.sha256(text.getBytes(StandardCharsets.UTF_8)), 0, 12);
    }

    private static InvalidInputException invalid() {
        return new InvalidInputException("Parameter 'cursor' is not a cursor this search issued.");
    }
}
