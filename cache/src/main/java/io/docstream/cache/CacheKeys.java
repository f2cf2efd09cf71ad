package io.docstream.cache;

import io.docstream.platform.Hashing;
import io.docstream.platform.redis.Redis;
import java.util.Objects;

/**
 * The one naming scheme of cache entries, shared by the query API (which reads and fills them) and
 * the invalidator (which evicts them). The same names are used in Redis (L2) and in each process (L1).
 * Search pages are proven fresh against the tenant's change history when read; document keys are evicted one
 * by one.
 */
public final class CacheKeys {

    private static final String PREFIX = "ds:";

    /**
     * The pub/sub channel on which the invalidator announces each invalidation as it happens, beside the durable
     * invalidations topic: query APIs apply what arrives here within milliseconds and what the topic brings later
     * (the same event, or one the channel lost) as before.
     */
    public static final String INVALIDATIONS_CHANNEL = PREFIX + "invalidations";

    private CacheKeys() {
    }

    /** The tenant's search generation, a number that only grows. */
    public static String generation(String tenant) {
        return PREFIX + "gen:" + requireTenant(tenant);
    }

    /**
     * A search result: tenant, the index target that computed it (so a switch of the index alias never serves
     * results of the previous target) and a hash of the normalised request. The page itself records the tenant
     * generation it was computed (or last proven fresh) under; see {@link TenantChanges}.
     */
    public static String search(String tenant, String indexTarget, String normalizedRequest) {
        Objects.requireNonNull(indexTarget, "indexTarget");
        if (indexTarget.indexOf(':') >= 0) {
            throw new IllegalArgumentException("index target must not contain ':': " + indexTarget);
        }
        return PREFIX + "s:" + requireTenant(tenant) + ":" + indexTarget + ":" + sha256(normalizedRequest);
    }

    /**
     * The tenant's recent changes, a sorted set scored by the generation each change moved the tenant to (see
     * {@link TenantChanges}).
     */
    public static String changes(String tenant) {
        return PREFIX + "c:" + requireTenant(tenant);
    }

    /** A query embedding: the model and a hash of the normalised query text (never the text itself). */
    public static String queryEmbedding(String modelId, String normalizedQuery) {
        return PREFIX + "e:" + Objects.requireNonNull(modelId, "modelId") + ":" + sha256(normalizedQuery);
    }

    /** A document as the API returns it, or the fact that it does not exist (negative entry). */
    public static String document(String tenant, String documentId) {
        return PREFIX + "d:" + requireTenant(tenant) + ":" + Objects.requireNonNull(documentId, "documentId");
    }

    /** The prefix of every search key of the tenant. */
    public static String searchPrefix(String tenant) {
        return PREFIX + "s:" + requireTenant(tenant) + ":";
    }

    private static String requireTenant(String tenant) {
        Objects.requireNonNull(tenant, "tenant");
        if (tenant.indexOf(':') >= 0) {
            throw new IllegalArgumentException("tenant must not contain ':': " + tenant);
        }
        return tenant;
    }

    static String sha256(String text) {
        return Hashing.sha256Hex(text);
    }
}
