package io.docstream.platform.web.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.redis.Redis;
import io.docstream.platform.redis.RedisConfiguration;
import io.docstream.platform.redis.TestRedis;
import io.docstream.platform.tenancy.Scope;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Leases against a real Redis: the script spending several requests at once, a quiet key asking Redis for each
 * request, two instances sharing one key's budget under load (never more than the GCRA allows, not much less),
 * how seldom a busy key's request waits for Redis, and the local limiter while Redis is away. Every test limits
 * keys of its own.
 */
class RateLimitLeaseTests {

    private static final TestRedis REDIS = TestRedis.start();

    private final List<RedisClient> clients = new ArrayList<>();
    private final List<Redis> redises = new ArrayList<>();

    @AfterEach
    void closeClients() {
        redises.forEach(Redis::close);
        clients.forEach(RedisClient::shutdown);
    }

    @AfterAll
    static void stopRedis() {
        REDIS.close();
    }

    @Test
    void oneCallSpendsSeveralRequestsAndGetsOnlyWhatTheBudgetAllows() throws Exception {
        // 10 per 100 s: one request every 10 s, so nothing comes back while the test runs.
        RateLimitProperties.Limit limit = new RateLimitProperties.Limit(10, Duration.ofSeconds(100), 10);
        RedisRateLimiter limiter = new RedisRateLimiter(redis(REDIS), Duration.ofSeconds(1), Duration.ofSeconds(1));
        String key = "search:" + UUID.randomUUID();

        RedisRateLimiter.Grant four = limiter.acquire(key, limit, 4);
        assertThat(four.granted()).isEqualTo(4);
        assertThat(four.remaining()).isEqualTo(6);
        assertThat(four.waitMicros()).isZero();
        assertThat(four.resetMicros()).isBetween(39_000_000L, 40_000_000L);

        RedisRateLimiter.Grant someOfTen = limiter.acquireAsync(key, limit, 10).get(5, TimeUnit.SECONDS);
        assertThat(someOfTen.granted()).as("only six fit").isEqualTo(6);
        assertThat(someOfTen.remaining()).isZero();
        assertThat(someOfTen.waitMicros()).isBetween(9_000_000L, 10_000_000L);
        assertThat(someOfTen.resetMicros()).isBetween(99_000_000L, 100_000_000L);

        RedisRateLimiter.Grant none = limiter.acquire(key, limit, 3);
        assertThat(none.granted()).isZero();
        assertThat(none.waitMicros()).isBetween(9_000_000L, 10_000_000L);
        assertThat(limiter.syncCalls()).isEqualTo(2);
        assertThat(limiter.asyncCalls()).isOne();

        REDIS.commands().scriptFlush();
        assertThat(limiter.acquireAsync("search:" + UUID.randomUUID(), limit, 2).get(5, TimeUnit.SECONDS).granted())
                .as("the script is sent again after Redis forgot it").isEqualTo(2);
    }

    /** (a) A few requests per second: lease size 1, each granted request asks Redis, the answer is Redis's own. */
    @Test
    void aQuietKeyAsksRedisForEachRequestAndIsLimitedExactly() throws Exception {
        // 200 per 200 s (one request per second back), burst 200: a lease cap of 10 that a quiet key never uses.
        RateLimitProperties properties = properties(new RateLimitProperties.Limit(200, Duration.ofSeconds(200), 200),
                Duration.ofSeconds(1));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RateLimiter limiter = new RateLimiter(properties, redis(REDIS), meters);
        UUID key = UUID.randomUUID();

        for (int i = 0; i < 5; i++) {
            RateLimitDecision decision = limiter.acquire(key, Scope.SEARCH);
            assertThat(decision.allowed()).isTrue();
            assertThat(decision.backend()).isEqualTo("redis");
            assertThat(decision.remaining()).isEqualTo(199 - i);
            assertThat(limiter.lease(key, Scope.SEARCH).available(System.nanoTime())).isZero();
            Thread.sleep(150);
        }
        assertThat(limiter.syncRedisCalls()).isEqualTo(5);
        assertThat(limiter.asyncRedisCalls()).isZero();

        // A quiet key with a small limit: the GCRA's answers as they always were, refusal included.
        RateLimitProperties small = properties(new RateLimitProperties.Limit(3, Duration.ofSeconds(30), 3),
                Duration.ofSeconds(1));
        RateLimiter strict = new RateLimiter(small, redis(REDIS), new SimpleMeterRegistry());
        UUID other = UUID.randomUUID();
        for (int left = 2; left >= 0; left--) {
            RateLimitDecision decision = strict.acquire(other, Scope.SEARCH);
            assertThat(decision.allowed()).isTrue();
            assertThat(decision.remaining()).isEqualTo(left);
        }
        RateLimitDecision refused = strict.acquire(other, Scope.SEARCH);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.backend()).isEqualTo("redis");
        assertThat(refused.retryAfter()).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(10));
        assertThat(strict.syncRedisCalls()).isEqualTo(4);
    }

    /**
     * (b) The error bound: two instances, two threads each, one key at 200 per second (burst 200, lease cap 10),
     * hammered for 2 s. Together they grant no more than the GCRA allows over the elapsed time (limit x seconds +
     * burst) and at least 80 % of it; each instance holds at most the cap of the key's budget unused.
     */
    @Test
    void twoInstancesHammeredByOneKeyNeverGrantMoreThanTheGcraAllowsAndNotMuchLess() throws Exception {
        RateLimitProperties.Limit limit = new RateLimitProperties.Limit(200, Duration.ofSeconds(1), 200);
        // A generous timeout: a loaded test machine must not push decisions to the local limiter.
        RateLimitProperties properties = properties(limit, Duration.ofSeconds(2));
        int cap = properties.leaseCap(limit);
        assertThat(cap).isEqualTo(10);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<RateLimiter> instances = List.of(new RateLimiter(properties, redis(REDIS), meters),
                new RateLimiter(properties, redis(REDIS), meters));
        UUID key = UUID.randomUUID();
        Duration run = Duration.ofSeconds(2);

        LongAdder granted = new LongAdder();
        LongAdder requests = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(4);
        long started = System.nanoTime();
        long deadline = started + run.toNanos();
        for (RateLimiter instance : instances) {
            for (int t = 0; t < 2; t++) {
                Thread.ofPlatform().start(() -> {
                    try {
                        while (System.nanoTime() - deadline < 0) {
                            requests.increment();
                            if (instance.acquire(key, Scope.SEARCH).allowed()) {
                                granted.increment();
                            }
                            LockSupport.parkNanos(20_000);
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    } finally {
                        done.countDown();
                    }
                });
            }
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        double elapsedSeconds = (System.nanoTime() - started) / 1e9;
        assertThat(failure.get()).isNull();

        assertThat(decisions(meters, "local")).as("every decision was the shared budget's").isZero();
        long allowedByGcra = (long) Math.floor(limit.requests() * elapsedSeconds) + limit.burst();
        long allowedInRun = limit.requests() * run.toSeconds() + limit.burst();
        assertThat(granted.sum()).as("granted of %s requests in %.3f s", requests.sum(), elapsedSeconds)
                .isLessThanOrEqualTo(allowedByGcra)
                .isGreaterThanOrEqualTo(allowedInRun * 8 / 10);
        assertThat(requests.sum()).as("the key asked for far more than its limit").isGreaterThan(2 * allowedByGcra);
        for (RateLimiter instance : instances) {
            Lease lease = instance.lease(key, Scope.SEARCH);
            assertThat(lease.available(System.nanoTime())).as("unused leased requests").isLessThanOrEqualTo(cap);
        }
        long waited = instances.stream().mapToLong(RateLimiter::syncRedisCalls).sum();
        assertThat((double) waited / requests.sum()).as("requests that waited for Redis").isLessThan(0.10);
    }

    /**
     * (c) A busy key under its limit (20,000 per second, lease cap 64) is decided from the lease: few of its
     * requests wait for Redis, and few ask Redis at all.
     */
    @Test
    void aBusyKeyUnderItsLimitSeldomWaitsForRedis() throws Exception {
        RateLimitProperties properties = properties(new RateLimitProperties.Limit(20_000, Duration.ofSeconds(1), null),
                Duration.ofSeconds(2));
        assertThat(properties.leaseCap(properties.search())).isEqualTo(64);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RateLimiter limiter = new RateLimiter(properties, redis(REDIS), meters);
        UUID key = UUID.randomUUID();

        LongAdder requests = new LongAdder();
        LongAdder refused = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(2);
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        for (int t = 0; t < 2; t++) {
            Thread.ofPlatform().start(() -> {
                try {
                    while (System.nanoTime() - deadline < 0) {
                        requests.increment();
                        if (!limiter.acquire(key, Scope.SEARCH).allowed()) {
                            refused.increment();
                        }
                        // At most 5,000 per second per thread: under the limit.
                        LockSupport.parkNanos(200_000);
                    }
                } catch (Throwable e) {
                    failure.set(e);
                } finally {
                    done.countDown();
                }
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(failure.get()).isNull();

        long total = requests.sum();
        assertThat(total).as("requests made").isGreaterThan(500);
        assertThat(refused.sum()).isZero();
        assertThat((double) limiter.syncRedisCalls() / total).as("requests that waited for Redis").isLessThan(0.10);
        assertThat((double) (limiter.syncRedisCalls() + limiter.asyncRedisCalls()) / total)
                .as("Redis calls per request").isLessThan(0.10);
        assertThat(decisions(meters, "lease")).isGreaterThan(0.9 * total);
        assertThat(decisions(meters, "local")).isZero();
    }

    /** (d) Redis away: this instance's own limiter decides, as without leases. */
    @Test
    void withRedisAwayTheLocalLimiterDecidesAsBefore() {
        RateLimitProperties properties = properties(new RateLimitProperties.Limit(5, Duration.ofSeconds(10), null),
                Duration.ofMillis(200));
        try (TestRedis server = TestRedis.start()) {
            server.stop();
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            RateLimiter down = new RateLimiter(properties, redis(server), meters);
            UUID key = UUID.randomUUID();
            List<String> decisions = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                decisions.add(describe(down.acquire(key, Scope.SEARCH)));
            }
            assertThat(decisions).containsExactly("allowed/local", "allowed/local", "allowed/local", "allowed/local",
                    "allowed/local", "limited/local", "limited/local");
            assertThat(decisions(meters, "local")).isEqualTo(7);

            server.restart();
            RateLimiter limiter = new RateLimiter(properties, redis(server), new SimpleMeterRegistry());
            UUID other = UUID.randomUUID();
            assertThat(describe(limiter.acquire(other, Scope.SEARCH))).isEqualTo("allowed/redis");
            assertThat(describe(limiter.acquire(other, Scope.SEARCH))).isEqualTo("allowed/redis");
            server.stop();
            decisions.clear();
            for (int i = 0; i < 6; i++) {
                decisions.add(describe(limiter.acquire(other, Scope.SEARCH)));
            }
            // The local limiter knows nothing of what Redis granted: a budget of its own, as before.
            assertThat(decisions).containsExactly("allowed/local", "allowed/local", "allowed/local", "allowed/local",
                    "allowed/local", "limited/local");
        }
    }

    private static String describe(RateLimitDecision decision) {
        return (decision.allowed() ? "allowed/" : "limited/") + decision.backend();
    }

    private static RateLimitProperties properties(RateLimitProperties.Limit search, Duration redisTimeout) {
        return new RateLimitProperties(true, redisTimeout, null, null, null, search, null);
    }

    private Redis redis(TestRedis server) {
        RedisClient client = RedisConfiguration.createClient(server.properties());
        clients.add(client);
        Redis redis = new Redis(client, server.properties().retryInterval(), null);
        redises.add(redis);
        return redis;
    }

    private static double decisions(SimpleMeterRegistry meters, String backend) {
        return meters.find(RateLimiter.DECISIONS_METER).tag("backend", backend).counters().stream()
                .mapToDouble(counter -> counter.count()).sum();
    }
}
