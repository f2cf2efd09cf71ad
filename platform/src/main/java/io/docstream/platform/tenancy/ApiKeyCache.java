package io.docstream.platform.tenancy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * <p>
 * A PostgreSQL that hangs rather than fails is bridged the same way: the check of a key past its TTL runs on a
 * background thread, and when it has not answered within {@code checkWait} (2 s by default) the key is trusted as
 * last seen live while the check goes on; its answer, when it comes, updates the cache (a revoked key is refused
 * from then on). One check per key runs at a time.
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
    private final long checkWaitNanos;
    /** The check of each key past its TTL under way, by key hash. */
    private final Map<String, CompletableFuture<Optional<ApiKeyPrincipal>>> checking = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor checks = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(MAX_KEYS), task -> Thread.ofPlatform().daemon(true).name("api-key-check")
                    .unstarted(task));

    public static final Duration DEFAULT_CHECK_WAIT = Duration.ofSeconds(2);

    public ApiKeyCache(ApiKeys apiKeys, Duration ttl) {
        this(apiKeys, ttl, Duration.ofHours(1), Ticker.systemTicker());
    }

    public ApiKeyCache(ApiKeys apiKeys, Duration ttl, Duration staleFor, Ticker ticker) {
        this(apiKeys, ttl, staleFor, ticker, DEFAULT_CHECK_WAIT);
    }

    public ApiKeyCache(ApiKeys apiKeys, Duration ttl, Duration staleFor, Ticker ticker, Duration checkWait) {
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || staleFor.compareTo(ttl) < 0) {
            throw new IllegalArgumentException("the API key cache TTL must not be negative nor longer than the "
                    + "stale window: " + ttl + ", " + staleFor);
        }
        this.ttlNanos = ttl.toNanos();
        this.checkWaitNanos = checkWait.toNanos();
        this.checks.allowCoreThreadTimeOut(true);
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
        if (cached == null) {
            return remember(hash, apiKeys.authenticate(plainKey), now);
        }
        try {
            return check(hash, plainKey).get(checkWaitNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException | RejectedExecutionException e) {
            log.debug("PostgreSQL could not check API key {} ({}); trusting it as last seen live", cached.principal()
                    .keyId(), (e instanceof ExecutionException ? e.getCause() : e).toString());
        } catch (TimeoutException e) {
            log.debug("PostgreSQL did not check API key {} within {} ms; trusting it as last seen live meanwhile",
                    cached.principal().keyId(), TimeUnit.NANOSECONDS.toMillis(checkWaitNanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.of(cached.principal());
    }

    /** The check of a key past its TTL: the one under way, or a new one on the background threads. */
    private CompletableFuture<Optional<ApiKeyPrincipal>> check(String hash, String plainKey) {
        CompletableFuture<Optional<ApiKeyPrincipal>> check = new CompletableFuture<>();
        CompletableFuture<Optional<ApiKeyPrincipal>> underWay = checking.putIfAbsent(hash, check);
        if (underWay != null) {
            return underWay;
        }
        try {
            checks.execute(() -> {
                try {
                    Optional<ApiKeyPrincipal> principal = apiKeys.authenticate(plainKey);
                    checking.remove(hash, check);
                    check.complete(remember(hash, principal, ticker.read()));
                } catch (RuntimeException e) {
                    checking.remove(hash, check);
                    check.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            checking.remove(hash, check);
            throw e;
        }
        return check;
    }

    private Optional<ApiKeyPrincipal> remember(String hash, Optional<ApiKeyPrincipal> principal, long checkedNanos) {
        principal.ifPresentOrElse(found -> known.put(hash, new Entry(found, checkedNanos)),
                () -> known.invalidate(hash));
        return principal;
    }
}
