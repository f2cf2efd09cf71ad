package io.docstream.platform.web.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.redis.Redis;
import io.docstream.platform.redis.TestRedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared rate limiter on a real Redis Cluster: each limited key's budget lives under a hash tag of its own, so
 * budgets spread over the masters and the script (one key) runs wherever its slot is, synchronously and not.
 */
class RateLimitClusterIntegrationTests {

    private static final TestRedisCluster CLUSTER = TestRedisCluster.start();
    // 10 per 100 s: nothing comes back while the test runs.
    private static final RateLimitProperties.Limit LIMIT = new RateLimitProperties.Limit(10, Duration.ofSeconds(100), 10);

    private final Redis redis = CLUSTER.serviceClient();
    private final RedisRateLimiter limiter = new RedisRateLimiter(redis, Duration.ofSeconds(1), Duration.ofSeconds(1));

    @AfterEach
    void closeClient() {
        redis.close();
    }

    @AfterAll
    static void stopCluster() {
        CLUSTER.close();
    }

    @Test
    void everyKeysBudgetHoldsWhicheverMasterItLivesOn() {
        // Random keys until every master holds some: twelve at random leave one master empty 2 % of the time.
        List<String> keys = new ArrayList<>();
        while (keys.size() < 12 || keys.stream().map(key -> CLUSTER.masterPortOf(RedisRateLimiter.key(key))).distinct()
                .count() < 3) {
            keys.add("search:" + UUID.randomUUID());
        }
        assertThat(keys.stream().map(key -> CLUSTER.masterPortOf(RedisRateLimiter.key(key))).distinct().count())
                .as("budgets on every master").isEqualTo(3);
        for (String key : keys) {
            assertThat(limiter.acquire(key, LIMIT, 4).granted()).isEqualTo(4);
            assertThat(limiter.acquire(key, LIMIT, 10).granted()).as("what is left of the budget").isEqualTo(6);
            assertThat(limiter.acquire(key, LIMIT, 1).granted()).as("spent").isZero();
            assertThat(CLUSTER.get(RedisRateLimiter.key(key))).as("the key's own tagged entry").isNotNull();
        }
    }

    @Test
    void anAsynchronousCallSpendsTheSameBudget() throws Exception {
        String key = "search:" + UUID.randomUUID();
        RedisRateLimiter.Grant first = limiter.acquireAsync(key, LIMIT, 7).get(5, TimeUnit.SECONDS);
        assertThat(first.granted()).isEqualTo(7);
        assertThat(limiter.acquireAsync(key, LIMIT, 7).get(5, TimeUnit.SECONDS).granted()).isEqualTo(3);
        assertThat(limiter.acquire(key, LIMIT, 1).granted()).isZero();
    }
}
