package io.docstream.core.tenancy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Live keys recently authenticated, so a request costs a PostgreSQL round trip only once per key and
 * {@code ttl}, and keys already seen keep working while PostgreSQL is briefly away. A revoked key is refused
 * at the latest {@code ttl} after its revocation; unknown and revoked keys are never cached, so a new key
 * works at once. Entries are held under the key's SHA-256 hash, never the key itself. A zero {@code ttl}
 * turns caching off.
 */
public final class ApiKeyCache {

    private static final int MAX_KEYS = 10_000;

    private final ApiKeys apiKeys;
    private final Cache<String, ApiKeyPrincipal> live;

    public ApiKeyCache(ApiKeys apiKeys, Duration ttl) {
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("the API key cache TTL must not be negative: " + ttl);
        }
        this.live = ttl.isZero() ? null : Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(MAX_KEYS).build();
    }

    /** As {@link ApiKeys#authenticate(String)}, answered from the cache when the key was live within the TTL. */
    public Optional<ApiKeyPrincipal> authenticate(String plainKey) {
        if (live == null || plainKey == null) {
            return apiKeys.authenticate(plainKey);
        }
        String hash = HexFormat.of().formatHex(ApiKeys.hash(plainKey));
        ApiKeyPrincipal cached = live.getIfPresent(hash);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<ApiKeyPrincipal> principal = apiKeys.authenticate(plainKey);
        principal.ifPresent(found -> live.put(hash, found));
        return principal;
    }
}
