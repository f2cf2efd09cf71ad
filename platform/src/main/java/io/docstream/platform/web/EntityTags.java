package io.docstream.platform.web;

import io.docstream.platform.Hashing;
import io.docstream.platform.errors.InvalidInputException;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import org.springframework.http.HttpHeaders;

/**
 * Validators for tenant data (RFC 9110 section 8.8): entity tags derived from what makes a representation what it
 * is, {@code If-None-Match} evaluated with the weak comparison the RFC prescribes for it, and the caching headers
 * that let a client (never a shared cache) keep an answer and revalidate it.
 */
public final class EntityTags {

    /** A client may store the answer but must revalidate it before each use; a shared cache must not store it. */
    public static final String CACHE_CONTROL = "private, max-age=0, must-revalidate";
    /** The answer depends on the key (the tenant) and on the negotiated encoding. */
    public static final String VARY = "Authorization, Accept-Encoding";

    private static final int MAX_HEADER = 2048;

    private EntityTags() {
    }

    /** A strong tag over {@code parts}: byte-identical representations only. */
    public static String strong(String... parts) {
        return '"' + digest(parts) + '"';
    }

    /** The strong tag of a document at a version: what query-api's reads carry and ingest's If-Match compares. */
    public static String document(String tenant, String id, long version) {
        return strong("document", tenant, id, Long.toString(version));
    }

    /**
     * Whether {@code ifMatch} (the header's value) lets a write proceed on a resource whose current tag is
     * {@code current} (null when it does not exist): {@code *} when it exists, else one of the listed tags, compared
     * strongly (a weak tag never matches). A value that is not a list of entity tags is refused as invalid input.
     */
    public static boolean matchPasses(String ifMatch, String current) {
        if (ifMatch.length() > MAX_HEADER) {
            throw new InvalidInputException("The If-Match header is longer than " + MAX_HEADER + " characters.");
        }
        String value = ifMatch.strip();
        if (value.equals("*")) {
            return current != null;
        }
        boolean matched = false;
        for (String listed : value.split(",", -1)) {
            String candidate = listed.strip();
            if (candidate.isEmpty()) {
                continue;
            }
            String opaque = listedOpaque(candidate, "If-Match");
            if (!candidate.startsWith("W/") && opaque.equals(current)) {
                matched = true;
            }
        }
        return matched;
    }

    /** Refuses an {@code If-Match} value that is neither {@code *} nor a list of entity tags, as invalid input. */
    public static void requireValidIfMatch(String ifMatch) {
        matchPasses(ifMatch, null);
    }

    /** A weak tag over {@code parts}: representations that are equivalent, though not byte for byte. */
    public static String weak(String... parts) {
        return "W/" + strong(parts);
    }

    /**
     * Whether {@code ifNoneMatch} (the header's value, null when absent) names {@code tag}, comparing weakly, or is
     * {@code *}; a value that is not a list of entity tags is refused as invalid input.
     */
    public static boolean noneMatchFails(String ifNoneMatch, String tag) {
        if (ifNoneMatch == null) {
            return false;
        }
        if (ifNoneMatch.length() > MAX_HEADER) {
            throw new InvalidInputException("The If-None-Match header is longer than " + MAX_HEADER + " characters.");
        }
        String value = ifNoneMatch.strip();
        if (value.equals("*")) {
            return true;
        }
        String opaque = opaque(tag);
        boolean matched = false;
        for (String listed : value.split(",", -1)) {
            String candidate = listed.strip();
            if (candidate.isEmpty()) {
                continue;
            }
            if (listedOpaque(candidate, "If-None-Match").equals(opaque)) {
                matched = true;
            }
        }
        return matched;
    }

    /** Sets the validator and the caching headers on a response, replacing the default {@code no-store}. */
    public static void revalidatable(HttpServletResponse response, String tag) {
        response.setHeader(HttpHeaders.ETAG, tag);
        response.setHeader(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
        response.setHeader(HttpHeaders.VARY, VARY);
    }

    /** The quoted part of a tag this class made. */
    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    /** The quoted part of a listed tag, checked against RFC 9110's entity-tag syntax. */
    private static String listedOpaque(String listed, String header) {
        String quoted = listed.startsWith("W/") ? listed.substring(2) : listed;
        boolean valid = quoted.length() >= 2 && quoted.charAt(0) == '"' && quoted.charAt(quoted.length() - 1) == '"';
        for (int i = 1; valid && i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            valid = c == 0x21 || (c >= 0x23 && c <= 0x7E);
        }
        if (!valid) {
            throw new InvalidInputException("The " + header + " header must be * or a list of entity tags such as"
                    + " \"abc\" or W/\"abc\".");
        }
        return quoted;
    }

    private static String digest(String... parts) {
        MessageDigest sha = Hashing.sha256();
        for (String part : parts) {
            sha.update(part.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        byte[] hash = sha.digest();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 18));
    }
}
