package io.docstream.invalidator.invalidation;

import io.docstream.cache.CacheKeys;
import io.docstream.cache.ChangeLog;
import io.docstream.cache.TenantChanges;
import io.docstream.platform.redis.Redis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Evicts one document version from the shared cache (L2), moves its tenant's search generation and appends the
 * change to the tenant's change history, in one script so no reader sees one without the others (see
 * {@link ChangeLog}). Cached search pages stay where the change cannot alter them; query APIs decide that with
 * the history.
 */
final class CacheEviction {

    private final ChangeLog changes;
    private final Duration retention;
    private final int maxEntries;

    CacheEviction(Redis redis, Duration retention, int maxEntries) {
        this.changes = new ChangeLog(Objects.requireNonNull(redis, "redis"));
        this.retention = Objects.requireNonNull(retention, "retention");
        this.maxEntries = maxEntries;
    }

    /**
     * Returns the change: the tenant's generation before and after it.
     *
     * @throws io.docstream.platform.redis.RedisUnavailableException when Redis cannot run the script
     */
    TenantChanges.Change evict(String tenant, String documentId, Instant now) {
        return changes.record(tenant, documentId, List.of(CacheKeys.document(tenant, documentId)), now, retention,
                maxEntries);
    }
}
