package io.docstream.invalidator.invalidation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.cache.CacheCodec;
import io.docstream.cache.CacheKeys;
import io.docstream.cache.ChangeLog;
import io.docstream.cache.Generations;
import io.docstream.cache.TenantChanges;
import io.docstream.cache.TwoLevelCache;
import io.docstream.platform.redis.Redis;
import io.docstream.platform.redis.RedisUnavailableException;
import io.docstream.platform.redis.TestRedisCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The invalidator's eviction and the readers' two-level cache on a real Redis Cluster while a master dies (SIGKILL)
 * and its replica takes over: no read that starts after an invalidation was acknowledged sees the version before it,
 * and every tenant's change log stays a complete chain. Redis replicates asynchronously, so this holds only because an
 * eviction counts as done once the replica has it ({@code wait-replicas}); the last test shows the loss without that.
 */
class CacheEvictionFailoverIntegrationTests {

    private static final Duration RETENTION = Duration.ofMinutes(5);
    private static final int TENANTS = 6;
    private static final int DOCUMENTS = 4;

    private TestRedisCluster cluster;
    private final List<Redis> opened = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    /** The system of record: each document's current version (PostgreSQL's part). */
    private final Map<String, Long> origin = new ConcurrentHashMap<>();
    /** Each document's newest version whose invalidation was acknowledged. */
    private final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    private volatile boolean acknowledgedBeforeTheFailover;

    record Version(long version) {
    }

    @BeforeEach
    void startCluster() {
        cluster = TestRedisCluster.start();
    }

    @AfterEach
    void stopCluster() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        opened.forEach(Redis::close);
        cluster.close();
    }

    @Test
    void noReadAfterAnAcknowledgedInvalidationIsStaleWhileAMasterFailsOver() throws Exception {
        List<String> tenants = IntStream.range(0, TENANTS).mapToObj(i -> "tenant-" + i).toList();
        String victim = tenants.get(0);
        int deadPort = cluster.masterPortOf(CacheKeys.generation(victim));
        Set<String> onDeadMaster = tenants.stream()
                .filter(tenant -> cluster.masterPortOf(CacheKeys.generation(tenant)) == deadPort)
                .collect(Collectors.toSet());
        assertThat(tenants).as("traffic on the other masters too").hasSizeGreaterThan(onDeadMaster.size());

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean failedOver = new AtomicBoolean();
        List<String> stale = new CopyOnWriteArrayList<>();
        AtomicLong writesAfterFailover = new AtomicLong();
        AtomicLong readsAfterFailover = new AtomicLong();
        Map<String, List<Long>> acknowledgedGenerations = new ConcurrentHashMap<>();

        CacheEviction eviction = new CacheEviction(open(), RETENTION, 100_000);
        Future<?> writer = threads.submit(() -> {
            long version = 0;
            while (running.get()) {
                String tenant = tenants.get(ThreadLocalRandom.current().nextInt(TENANTS));
                String documentId = "doc-" + ThreadLocalRandom.current().nextInt(DOCUMENTS);
                String key = CacheKeys.document(tenant, documentId);
                origin.put(key, ++version);
                TenantChanges.Change change = evictUntilDone(eviction, tenant, documentId, running);
                if (change == null) {
                    return null;
                }
                acknowledged.put(key, version);
                acknowledgedGenerations.computeIfAbsent(tenant, ignored -> new CopyOnWriteArrayList<>())
                        .add(change.generation());
                if (failedOver.get() && onDeadMaster.contains(tenant)) {
                    writesAfterFailover.incrementAndGet();
                }
                LockSupport.parkNanos(500_000);
            }
            return null;
        });
        List<Future<?>> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Redis redis = open();
            Generations generations = new Generations(redis);
            TwoLevelCache<Version> cache = new TwoLevelCache<>(new TwoLevelCache.Settings<Version>("documents", 1000,
                    0.1, value -> Duration.ofMinutes(10)), redis, CacheCodec.smile(Version.class),
                    new SimpleMeterRegistry());
            readers.add(threads.submit(() -> {
                while (running.get()) {
                    String tenant = tenants.get(ThreadLocalRandom.current().nextInt(TENANTS));
                    String key = CacheKeys.document(tenant, "doc-" + ThreadLocalRandom.current().nextInt(DOCUMENTS));
                    long required = acknowledged.getOrDefault(key, 0L);
                    long generation;
                    try {
                        generation = generations.current(tenant);
                    } catch (RedisUnavailableException e) {
                        LockSupport.parkNanos(1_000_000);
                        continue; // a reader then answers from its last known generation, flagged degraded
                    }
                    TwoLevelCache.Result<Version> read = cache.get(key, tenant, generation, true,
                            () -> new Version(origin.getOrDefault(key, 0L)));
                    if (read.value().version() < required) {
                        stale.add(key + ": read version " + read.value().version() + " from " + read.layer()
                                + " at generation " + generation + " after version " + required + " was invalidated");
                    }
                    if (failedOver.get() && onDeadMaster.contains(tenant) && !read.redisFailed()) {
                        readsAfterFailover.incrementAndGet();
                    }
                    LockSupport.parkNanos(200_000);
                }
                return null;
            }));
        }

        Thread.sleep(1500);
        assertThat(cluster.killMasterOf(CacheKeys.generation(victim))).isEqualTo(deadPort);
        cluster.awaitFailover(CacheKeys.generation(victim), deadPort);
        failedOver.set(true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(writesAfterFailover.get() >= 50 && readsAfterFailover.get() >= 200 || !stale.isEmpty())) {
            assertThat(System.nanoTime()).as("progress on the failed-over tenants: %s writes, %s reads",
                    writesAfterFailover, readsAfterFailover).isLessThan(deadline);
            Thread.sleep(500);
        }
        running.set(false);
        writer.get(10, TimeUnit.SECONDS);
        for (Future<?> reader : readers) {
            reader.get(10, TimeUnit.SECONDS);
        }

        assertThat(stale).as("reads older than an acknowledged invalidation").isEmpty();
        ChangeLog log = new ChangeLog(open());
        for (String tenant : tenants) {
            List<TenantChanges.Change> recorded = log.read(tenant, 0);
            assertThat(recorded).extracting(TenantChanges.Change::generation).as("changes of " + tenant)
                    .containsAll(acknowledgedGenerations.getOrDefault(tenant, List.of()));
            TenantChanges history = new TenantChanges(100_000);
            recorded.forEach(history::add);
            assertThat(history.documentsChanged(recorded.getFirst().previous(), recorded.getLast().generation()))
                    .as("an unbroken chain of " + tenant + "'s changes, so pages can still be proven fresh").isPresent();
        }
    }

    @Test
    void anInvalidationTheReplicaMissedIsAcknowledgedOnlyOnceTheNewMasterHoldsIt() throws Exception {
        long read = invalidateWhileTheReplicaIsAwayAndKillTheMaster(open());
        assertThat(acknowledgedBeforeTheFailover).as("acknowledged while only the master had it").isFalse();
        assertThat(read).as("the version read after the acknowledged invalidation").isEqualTo(2);
    }

    @Test
    void withoutWaitingForTheReplicaTheFailoverLosesAnAcknowledgedInvalidation() throws Exception {
        long read = invalidateWhileTheReplicaIsAwayAndKillTheMaster(open(Redis.Replication.NONE));
        assertThat(acknowledgedBeforeTheFailover).as("acknowledged while only the master had it").isTrue();
        assertThat(read).as("what Redis's asynchronous replication alone gives: the old version again").isEqualTo(1);
    }

    /**
     * Caches version 1; freezes the replica and cuts its link so it cannot hear what follows; invalidates version 1
     * (the script runs on the master); kills the master and thaws the replica, which takes over; reads again.
     */
    private long invalidateWhileTheReplicaIsAwayAndKillTheMaster(Redis invalidator) throws Exception {
        String tenant = "acme";
        String key = CacheKeys.document(tenant, "doc-1");
        String generationKey = CacheKeys.generation(tenant);
        TwoLevelCache<Version> before = cache(open());
        origin.put(key, 1L);
        long first = new Generations(invalidator).current(tenant);
        before.get(key, tenant, first, true, () -> new Version(origin.get(key)));
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.getOnReplica(key) != null);

        origin.put(key, 2L);
        CacheEviction eviction = new CacheEviction(invalidator, RETENTION, 1000);
        AtomicBoolean running = new AtomicBoolean(true);
        Future<TenantChanges.Change> done;
        int deadPort;
        try (AutoCloseable frozen = cluster.freezeReplicaOf(generationKey)) {
            cluster.disconnectReplicaOf(generationKey);
            done = threads.submit(() -> evictUntilDone(eviction, tenant, "doc-1", running));
            await().atMost(Duration.ofMillis(500)).pollInterval(Duration.ofMillis(10))
                    .until(() -> !Long.toString(first).equals(cluster.get(generationKey)));
            Thread.sleep(200);
            acknowledgedBeforeTheFailover = done.isDone();
            deadPort = cluster.killMasterOf(generationKey);
        }
        cluster.awaitFailover(generationKey, deadPort);
        TenantChanges.Change change = done.get(30, TimeUnit.SECONDS);
        assertThat(change.generation()).isGreaterThan(first);

        Redis reader = open();
        Generations generations = new Generations(reader);
        long generation = await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> generations.current(tenant), current -> current > 0);
        return cache(reader).get(key, tenant, generation, true, () -> new Version(origin.get(key))).value().version();
    }

    /** What the invalidator's stream thread does: retry the eviction while Redis fails, until it is done. */
    private static TenantChanges.Change evictUntilDone(CacheEviction eviction, String tenant, String documentId,
            AtomicBoolean running) {
        while (running.get()) {
            try {
                return eviction.evict(tenant, documentId, Instant.now());
            } catch (RedisUnavailableException e) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
        return null;
    }

    private TwoLevelCache<Version> cache(Redis redis) {
        return new TwoLevelCache<>(new TwoLevelCache.Settings<Version>("documents", 1000, 0.1,
                value -> Duration.ofMinutes(10)), redis, CacheCodec.smile(Version.class), new SimpleMeterRegistry());
    }

    private Redis open() {
        Redis redis = cluster.serviceClient();
        opened.add(redis);
        return redis;
    }

    private Redis open(Redis.Replication replication) {
        Redis redis = cluster.serviceClient(replication);
        opened.add(redis);
        return redis;
    }
}
