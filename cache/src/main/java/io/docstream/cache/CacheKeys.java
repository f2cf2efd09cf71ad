package io.docstream.cache;

import io.docstream.platform.Hashing;
import io.docstream.platform.redis.Redis;
import java.util.Objects;

/**
 * The one naming scheme of cache entries, shared by the query API (which reads and fills them) and
 * the invalidator (which evicts them). The same names are used in Redis (L2) and in each process (L1).
 * Search pages are proven fresh against the tenant's change history when read; document keys are evicted one
 * by one.
 * <p>
 * Every key of a tenant starts {@code ds:{<tenant>}:}: the braces are a Redis Cluster hash tag, so the tenant's
 * generation, change history, documents and search pages share one slot and a script may touch any of them at once
 * (a cluster refuses a script whose keys span slots). Keys of the older untagged form ({@code ds:gen:<tenant>},
 * {@code ds:d:<tenant>:<id>}, ...) are neither read nor written any more: cache entries and change histories among
 * them expire by their TTL, and an old generation key stays as one small unused key per tenant. To the services the
 * switch looks like a Redis that lost its data, which they already survive (generations start again from the clock).
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
        return tenantPrefix(tenant) + "gen";
    }

    /** {@code ds:{<tenant>}:}, the start of every key of the tenant (all in the tenant's cluster slot). */
    public static String tenantPrefix(String tenant) {
        return PREFIX + "{" + requireTenant(tenant) + "}:";
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
        return searchPrefix(tenant) + indexTarget + ":" + sha256(normalizedRequest);
    }

    /**
     * The tenant's recent changes, a sorted set scored by the generation each change moved the tenant to (see
     * {@link TenantChanges}).
     */
    public static String changes(String tenant) {
        return tenantPrefix(tenant) + "c";
    }

    /**
     * A query embedding: the model and a hash of the normalised query text (never the text itself). Shared by all
     * tenants and never touched by a script, so it carries no hash tag.
     */
    public static String queryEmbedding(String modelId, String normalizedQuery) {
        return PREFIX + "e:" + Objects.requireNonNull(modelId, "modelId") + ":" + sha256(normalizedQuery);
    }

    /** A document as the API returns it, or the fact that it does not exist (negative entry). */
    public static String document(String tenant, String documentId) {
        return tenantPrefix(tenant) + "d:" + Objects.requireNonNull(documentId, "documentId");
    }

    /** The prefix of every search key of the tenant. */
    public static String searchPrefix(String tenant) {
        return tenantPrefix(tenant) + "s:";
    }

    private static String requireTenant(String tenant) {
        Objects.requireNonNull(tenant, "tenant");
        if (tenant.isEmpty() || tenant.indexOf(':') >= 0 || tenant.indexOf('{') >= 0 || tenant.indexOf('}') >= 0) {
            throw new IllegalArgumentException("tenant must be non-empty, without ':', '{' or '}': " + tenant);
        }
        return tenant;
    }

    static String sha256(String text) {
        return Hashing.sha256Hex(text);
    }
}
