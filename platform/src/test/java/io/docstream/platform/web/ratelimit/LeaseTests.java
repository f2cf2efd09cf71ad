package io.docstream.platform.web.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The lease's bookkeeping on its own, on a clock of the test's and with Redis's answers written out (the answers
 * of the real script are in {@link RateLimitLeaseTests}).
 */
class LeaseTests {

    private static final Duration TTL = Duration.ofMillis(250);
    private static final long MS = 1_000_000;
    /** 200 per second (an interval of 5 ms), burst 200: a lease cap of 10. */
    private static final RateLimitProperties.Limit LIMIT = new RateLimitProperties.Limit(200, Duration.ofSeconds(1), 200);
    private static final int CAP = 10;

    private long now = 1_000_000_000_000L;
    private final Lease lease = new Lease(TTL, now);

    @Test
    void aQuietKeyAsksRedisForEachRequestAloneAndGetsRedisVerdict() {
        for (int i = 0; i < 5; i++) {
            Lease.Step step = lease.take(now, LIMIT, CAP);
            assertThat(step.decision()).isNull();
            assertThat(step.cost()).isOne();
            RateLimitDecision decision = lease.settle(now, new RedisRateLimiter.Grant(1, 199 - i, 0, 5_000L * (i + 1)), 1);
            assertThat(decision.allowed()).isTrue();
            assertThat(decision.backend()).isEqualTo("redis");
            assertThat(decision.remaining()).isEqualTo(199 - i);
            assertThat(decision.reset()).isEqualTo(Duration.ofMillis(5L * (i + 1)));
            assertThat(lease.available(now)).isZero();
            now += 150 * MS;
        }
        Lease.Step refusedByRedis = lease.take(now, LIMIT, CAP);
        RateLimitDecision refused = lease.settle(now, new RedisRateLimiter.Grant(0, 0, 5_000, 1_000_000), refusedByRedis.cost());
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.backend()).isEqualTo("redis");
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void aBusyKeyLeasesUpToItsRecentDemandAndRefillsWithoutWaitingOneRefillAtATime() {
        // Thirty requests within 30 ms, Redis granting all that is asked: the lease grows with the demand.
        for (int i = 0; i < 30; i++) {
            Lease.Step step = lease.take(now, LIMIT, CAP);
            if (step.decision() == null) {
                assertThat(step.cost()).isBetween(1, CAP);
                lease.settle(now, new RedisRateLimiter.Grant(step.cost(), 100, 0, 500_000), step.cost());
            } else {
                assertThat(step.decision().backend()).isEqualTo("lease");
            }
            if (step.refill() > 0) {
                lease.refilled(now, new RedisRateLimiter.Grant(step.refill(), 100, 0, 500_000), step.refill());
            }
            now += MS;
        }
        assertThat(lease.available(now)).isBetween(1, CAP);
        while (lease.available(now) > 0) {
            Lease.Step step = lease.take(now, LIMIT, CAP);
            if (step.refill() > 0) {
                lease.refillFailed(step.refill());
            }
        }

        now += 100 * MS;
        Lease.Step step = lease.take(now, LIMIT, CAP);
        assertThat(step.cost()).as("the demand of the last 100 ms is above the cap").isEqualTo(CAP);
        lease.settle(now, new RedisRateLimiter.Grant(CAP, 100, 0, 500_000), CAP);
        assertThat(lease.available(now)).isEqualTo(CAP - 1);

        for (int left = CAP - 2; left >= 5; left--) {
            Lease.Step fromLease = lease.take(now, LIMIT, CAP);
            assertThat(fromLease.decision().allowed()).isTrue();
            assertThat(fromLease.decision().backend()).isEqualTo("lease");
            assertThat(fromLease.refill()).as("at least half the lease is left").isZero();
        }
        Lease.Step belowHalf = lease.take(now, LIMIT, CAP);
        assertThat(belowHalf.decision().allowed()).isTrue();
        assertThat(belowHalf.refill()).as("tops the lease up to its size").isEqualTo(CAP - 4);
        assertThat(lease.take(now, LIMIT, CAP).refill()).as("one refill under way at a time").isZero();
        assertThat(lease.available(now) + lease.pending()).isLessThanOrEqualTo(CAP);

        lease.refilled(now, new RedisRateLimiter.Grant(CAP - 4, 100, 0, 500_000), CAP - 4);
        assertThat(lease.available(now)).isEqualTo(3 + CAP - 4);
        assertThat(lease.pending()).isZero();
    }

    @Test
    void leasedRequestsUnusedAfterTheLeaseTtlAreLost() {
        Lease.Step first = lease.take(now, LIMIT, CAP);
        lease.settle(now, new RedisRateLimiter.Grant(1, 199, 0, 5_000), first.cost());
        Lease.Step second = lease.take(now, LIMIT, CAP);
        assertThat(second.cost()).isEqualTo(2);
        lease.settle(now, new RedisRateLimiter.Grant(2, 197, 0, 15_000), second.cost());
        assertThat(lease.available(now)).isOne();

        now += TTL.toNanos() - 1;
        assertThat(lease.available(now)).isOne();
        now += 1;
        assertThat(lease.available(now)).isZero();
        assertThat(lease.take(now, LIMIT, CAP).decision()).as("asks Redis again").isNull();
    }

    @Test
    void onceRedisGrantsFewerThanAskedRequestsAreRefusedWithoutAskingUntilOneMoreFits() {
        Lease.Step first = lease.take(now, LIMIT, CAP);
        lease.settle(now, new RedisRateLimiter.Grant(1, 10, 0, 900_000), first.cost());
        Lease.Step second = lease.take(now, LIMIT, CAP);
        lease.settle(now, new RedisRateLimiter.Grant(2, 10, 0, 900_000), second.cost());
        Lease.Step third = lease.take(now, LIMIT, CAP);
        assertThat(third.decision().backend()).isEqualTo("lease");
        lease.refillFailed(third.refill());

        Lease.Step fourth = lease.take(now, LIMIT, CAP);
        assertThat(fourth.cost()).isEqualTo(4);
        // Two of four fit: one for this request, one for the lease; the next fits in 5 ms.
        RateLimitDecision granted = lease.settle(now, new RedisRateLimiter.Grant(2, 0, 5_000, 1_000_000), 4);
        assertThat(granted.allowed()).isTrue();
        assertThat(granted.remaining()).as("what the lease holds").isOne();

        Lease.Step leased = lease.take(now, LIMIT, CAP);
        assertThat(leased.decision().allowed()).isTrue();
        assertThat(leased.refill()).as("no refill while the budget is spent").isZero();
        now += 2 * MS;
        Lease.Step refused = lease.take(now, LIMIT, CAP);
        assertThat(refused.decision().allowed()).isFalse();
        assertThat(refused.decision().backend()).isEqualTo("lease");
        assertThat(refused.decision().retryAfter()).isEqualTo(Duration.ofMillis(3));
        assertThat(refused.decision().reset()).isEqualTo(Duration.ofMillis(998));

        now += 3 * MS;
        assertThat(lease.take(now, LIMIT, CAP).decision()).as("one more fits: ask Redis").isNull();
    }

    /** The bound on under-admission: an instance never holds more than the cap of a key's budget. */
    @Test
    void anInstanceNeverHoldsMoreThanTheCapWhateverTheInterleaving() {
        Random random = new Random(42);
        Deque<Integer> refills = new ArrayDeque<>();
        for (int i = 0; i < 100_000; i++) {
            now += random.nextInt(3) == 0 ? random.nextLong(20 * MS) : random.nextLong(100_000);
            if (!refills.isEmpty() && random.nextInt(4) == 0) {
                int cost = refills.poll();
                if (random.nextInt(10) == 0) {
                    lease.refillFailed(cost);
                } else {
                    int granted = random.nextInt(cost + 1);
                    lease.refilled(now, new RedisRateLimiter.Grant(granted, 0, granted < cost ? 5_000 : 0, 100_000), cost);
                }
            }
            Lease.Step step = lease.take(now, LIMIT, CAP);
            if (step.refill() > 0) {
                assertThat(refills).as("one refill under way at a time").isEmpty();
                refills.add(step.refill());
            }
            if (step.decision() == null) {
                assertThat(step.cost()).isBetween(1, CAP);
                int granted = random.nextInt(step.cost() + 1);
                lease.settle(now, new RedisRateLimiter.Grant(granted, 0, granted < step.cost() ? 5_000 : 0, 100_000),
                        step.cost());
            }
            assertThat(lease.available(now) + lease.pending()).isLessThanOrEqualTo(CAP);
            assertThat(lease.pending()).isNotNegative();
        }
    }
}
