package io.docstream.invalidator.invalidation;

import io.docstream.cache.CacheKeys;
import io.docstream.cache.ChangeLog;
import io.docstream.cache.TenantChanges;
import io.docstream.platform.redis.Redis;
import io.docstream.platform.redis.RedisUnavailableException;
import io.docstream.schemas.events.CacheInvalidated;
import io.docstream.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evicts one document version from the shared cache (L2), moves its tenant's search generation and appends the
 * change to the tenant's change history, in one script so no reader sees one without the others (see
 * {@link ChangeLog}). Cached search pages stay where the change cannot alter them; query APIs decide that with
 * the history. Each invalidation is also announced at once on {@link CacheKeys#INVALIDATIONS_CHANNEL} (Redis
 * pub/sub), so query APIs drop their L1 copies within milliseconds instead of after the invalidations topic's
 * transaction commits; the topic stays the durable record.
 */
final class CacheEviction {

    private static final Logger log = LoggerFactory.getLogger(CacheEviction.class);

    private final Redis redis;
    private final Serializer<CacheInvalidated> serializer = Topics.INVALIDATIONS.valueSerde().serializer();
    private final ChangeLog changes;
    private final Duration retention;
    private final int maxEntries;

    CacheEviction(Redis redis, Duration retention, int maxEntries) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.changes = new ChangeLog(redis);
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

    /**
     * Announces the invalidation on the pub/sub channel; a failure only costs the early copy (the topic brings the
     * event), so it is logged, not thrown.
     */
    void announce(CacheInvalidated invalidation) {
        try {
            redis.publish(CacheKeys.INVALIDATIONS_CHANNEL,
                    serializer.serialize(Topics.INVALIDATIONS.name(), invalidation));
        } catch (RedisUnavailableException e) {
            log.debug("could not announce an invalidation on {}: {}", CacheKeys.INVALIDATIONS_CHANNEL, e.toString());
        }
    }
}
