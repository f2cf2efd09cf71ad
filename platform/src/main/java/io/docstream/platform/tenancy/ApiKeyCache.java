package io.docstream.platform.tenancy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live keys recently authenticated, so a request costs a PostgreSQL round trip only once per key and
 * {@code ttl}. A revoked key is refused at the latest {@code ttl} after its revocation; unknown and revoked keys
 * are never cached, so a new key works at once. Entries are held under the key's SHA-256 hash, never the key
 * itself. A zero {@code ttl} turns caching off.
 * <p>
 * While PostgreSQL cannot answer, a key that was live within {@code staleFor} keeps working (stale-if-error), so
 * cached reads go on being served through an outage (DESIGN 7). A key revoked during the outage is refused once
 * PostgreSQL answers again; a key never seen by this instance cannot be checked and gets the outage's 503.
 */
public final class ApiKeyCache {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyCache.class);
    private static final int MAX_KEYS = 10_000;

    private record Entry(ApiKeyPrincipal principal, long checkedNanos) {
    }

    private final ApiKeys apiKeys;
    private final long ttlNanos;
    private final Ticker ticker;
    private final Cache<String, Entry> known;

    public ApiKeyCache(ApiKeys apiKeys, Duration ttl) {
        this(apiKeys, ttl, Duration.ofHours(1), Ticker.systemTicker());
    }

    public ApiKeyCache(ApiKeys apiKeys, Duration ttl, Duration staleFor, Ticker ticker) {
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || staleFor.compareTo(ttl) < 0) {
            throw new IllegalArgumentException("the API key cache TTL must not be negative nor longer than the "
                    + "stale window: " + ttl + ", " + staleFor);
        }
        this.ttlNanos = ttl.toNanos();
        this.ticker = ticker;
        this.known = ttl.isZero() ? null : Caffeine.newBuilder().expireAfterWrite(staleFor).ticker(ticker)
                .maximumSize(MAX_KEYS).build();
    }

    /**
     * As {@link ApiKeys#authenticate(String)}, answered from the cache when the key was live within the TTL, or
     * within the stale window when PostgreSQL fails.
     */
    public Optional<ApiKeyPrincipal> authenticate(String plainKey) {
        if (known == null || plainKey == null) {
            return apiKeys.authenticate(plainKey);
        }
        String hash = HexFormat.of().formatHex(ApiKeys.hash(plainKey));
        Entry cached = known.getIfPresent(hash);
        long now = ticker.read();
        if (cached != null && now - cached.checkedNanos() < ttlNanos) {
            return Optional.of(cached.principal());
        }
        Optional<ApiKeyPrincipal> principal;
        try {
            principal = apiKeys.authenticate(plainKey);
        } catch (RuntimeException e) {
            if (cached == null) {
                throw e;
            }
            log.debug("PostgreSQL could not check API key {} ({}); trusting it as last seen live", cached.principal()
                    .keyId(), e.toString());
            return Optional.of(cached.principal());
        }
        principal.ifPresentOrElse(found -> known.put(hash, new Entry(found, now)), () -> known.invalidate(hash));
        return principal;
    }
}
