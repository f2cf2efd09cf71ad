package io.docstream.cache;

import io.docstream.platform.redis.Redis;
import io.docstream.platform.redis.RedisConfiguration;
import io.docstream.platform.redis.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TwoLevelCacheTests {

    private static final String TENANT = "acme";

    private static TestRedis server;
    private static RedisClient client;

    private final List<Redis> opened = new ArrayList<>();
    private Redis redis;
    private Generations generations;

    @BeforeAll
    static void startRedis() {
        server = TestRedis.start();
        client = RedisConfiguration.createClient(server.properties());
    }

    @AfterAll
    static void stopRedis() {
        client.shutdown();
        server.close();
    }

    @BeforeEach
    void emptyRedis() {
        server.restart();
        server.flushAll();
        redis = redis();
        generations = new Generations(redis);
    }

    @AfterEach
    void closeClients() {
        opened.forEach(Redis::close);
    }

    @Test
    void aSecondReadIsServedFromMemory() {
        TwoLevelCache<Record> cache = cache(redis);
        long generation = generations.current(TENANT);
        CountingOrigin origin = new CountingOrigin("answer");

        assertThat(cache.get(key("k"), TENANT, generation, true, origin).layer()).isEqualTo(TwoLevelCache.Layer.ORIGIN);
        TwoLevelCache.Result<Record> second = cache.get(key("k"), TENANT, generation, true, origin);

        assertThat(second.layer()).isEqualTo(TwoLevelCache.Layer.L1);
        assertThat(second.value().text()).isEqualTo("answer");
        assertThat(origin.calls.get()).isEqualTo(1);
    }

    @Test
    void anotherInstanceIsServedFromRedis() {
        long generation = generations.current(TENANT);
        CountingOrigin origin = new CountingOrigin("answer");
        cache(redis).get(key("k"), TENANT, generation, true, origin);

        TwoLevelCache.Result<Record> other = cache(redis()).get(key("k"), TENANT, generation, true, origin);

        assertThat(other.layer()).isEqualTo(TwoLevelCache.Layer.L2);
        assertThat(other.value().text()).isEqualTo("answer");
        assertThat(origin.calls.get()).isEqualTo(1);
    }

    @Test
    void manyConcurrentMissesOnOneKeyCauseOneRedisLookupAndOneOriginLoad() throws Exception {
        TwoLevelCache<Record> cache = cache(redis);
        long generation = generations.current(TENANT);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        Supplier<Record> slowOrigin = () -> {
            calls.incrementAndGet();
            await(release);
            return new Record("answer");
        };
        long getsBefore = getCalls();
        int callers = 32;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            Set<Thread> workers = ConcurrentHashMap.newKeySet();
            List<Future<TwoLevelCache.Result<Record>>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    workers.add(Thread.currentThread());
                    return cache.get(key("hot"), TENANT, generation, true, slowOrigin);
                }));
            }
            // The load is let go only once every caller is parked inside get (one in the origin, the others waiting
            // for it): a caller arriving after the release would find the value cached, and the test would pass
            // without one load per key.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (workers.size() < callers || !workers.stream().allMatch(thread ->
                    thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING)) {
                assertThat(System.nanoTime()).as("every caller parked inside get").isLessThan(deadline);
                Thread.sleep(5);
            }
            release.countDown();
            for (Future<TwoLevelCache.Result<Record>> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS).value().text()).isEqualTo("answer");
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(calls.get()).isEqualTo(1);
        // One lookup, plus the GET of the generation inside the conditional store script.
        assertThat(getCalls() - getsBefore).isEqualTo(2);
    }

    @Test
    void aValueComputedBeforeTheGenerationMovedIsNotStoredInRedis() throws Exception {
        TwoLevelCache<Record> cache = cache(redis);
        long generation = generations.current(TENANT);
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch moved = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().start(() -> cache.get(key("doc"), TENANT, generation, true, () -> {
            loading.countDown();
            await(moved);
            return new Record("old");
        }));
        loading.await(10, TimeUnit.SECONDS);
        redis.execute(commands -> commands.set(CacheKeys.generation(TENANT), bytes(Long.toString(generation + 1))));
        moved.countDown();
        reader.join(10_000);

        assertThat((long) redis.execute(commands -> commands.exists(key("doc")))).isZero();
        CountingOrigin fresh = new CountingOrigin("new");
        TwoLevelCache.Result<Record> afterMove = cache.get(key("doc"), TENANT, generation + 1, true, fresh);
        assertThat(afterMove.value().text()).isEqualTo("new");
        assertThat(afterMove.layer()).isEqualTo(TwoLevelCache.Layer.ORIGIN);
    }

    @Test
    void anEntryLoadedUnderAnOlderGenerationIsNotServedFromMemory() {
        TwoLevelCache<Record> cache = cache(redis);
        long generation = generations.current(TENANT);
        cache.get(key("doc"), TENANT, generation, true, new CountingOrigin("old"));
        // What the invalidator does: move the generation and delete the document's entry.
        server.set(CacheKeys.generation(TENANT), Long.toString(generation + 1));
        redis.execute(commands -> commands.del(key("doc")));

        TwoLevelCache.Result<Record> later = cache.get(key("doc"), TENANT, generation + 1, true,
                new CountingOrigin("new"));

        assertThat(later.value().text()).isEqualTo("new");
    }

    @Test
    void valuesWithoutATimeToLiveAreNotCached() {
        TwoLevelCache<Record> cache = new TwoLevelCache<>(new TwoLevelCache.Settings<Record>("test", 100, 0.1,
                value -> value.text().startsWith("partial") ? Duration.ZERO : Duration.ofMinutes(1)),
                redis, CacheCodec.smile(Record.class), new SimpleMeterRegistry());
        long generation = generations.current(TENANT);
        CountingOrigin origin = new CountingOrigin("partial answer");

        cache.get(key("k"), TENANT, generation, true, origin);
        cache.get(key("k"), TENANT, generation, true, origin);

        assertThat(origin.calls.get()).isEqualTo(2);
        assertThat((long) redis.execute(commands -> commands.exists(key("k")))).isZero();
    }

    @Test
    void embeddingsRoundTripThroughRedisAsLittleEndianFloats() {
        TwoLevelCache<float[]> embeddings = new TwoLevelCache<>(new TwoLevelCache.Settings<float[]>("embedding", 100,
                0.1, value -> Duration.ofHours(24)), redis, CacheCodec.floats(), new SimpleMeterRegistry());
        String key = CacheKeys.queryEmbedding("model", "hello world");
        embeddings.get(key, true, () -> new float[] { 1.5f, -2.25f });

        byte[] stored = redis.execute(commands -> commands.get(key));
        TwoLevelCache<float[]> other = new TwoLevelCache<>(new TwoLevelCache.Settings<float[]>("embedding", 100,
                0.1, value -> Duration.ofHours(24)), redis(), CacheCodec.floats(), new SimpleMeterRegistry());
        TwoLevelCache.Result<float[]> fromRedis = other.get(key, true, () -> new float[] { 0f });

        assertThat(stored).hasSize(8);
        assertThat(stored[0]).isEqualTo((byte) 0x00);
        assertThat(stored[3]).isEqualTo((byte) 0x3f);
        assertThat(fromRedis.layer()).isEqualTo(TwoLevelCache.Layer.L2);
        assertThat(fromRedis.value()).containsExactly(1.5f, -2.25f);
    }

    @Test
    void aStoppedRedisCostsNoFailureAndIsUsedAgainOnceItAnswers() {
        long generation = generations.current(TENANT);
        TwoLevelCache<Record> cache = cache(redis);
        server.stop();

        TwoLevelCache.Result<Record> during = cache.get(key("k"), TENANT, generation, true, new CountingOrigin("a"));
        long started = System.nanoTime();
        cache.get(key("k2"), TENANT, generation, true, new CountingOrigin("b"));
        long skippedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(during.value().text()).isEqualTo("a");
        assertThat(during.redisFailed()).isTrue();
        assertThat(skippedMillis).as("a second request within the retry interval skips Redis").isLessThan(200);

        server.restart();
        server.set(CacheKeys.generation(TENANT), Long.toString(generation));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        TwoLevelCache.Result<Record> after;
        int attempt = 0;
        do {
            after = cache(redis).get(key("k" + attempt++), TENANT, generation, true, new CountingOrigin("c"));
        } while (after.redisFailed() && System.nanoTime() < deadline);
        assertThat(after.redisFailed()).isFalse();
        assertThat(cache(redis()).get(key("k" + (attempt - 1)), TENANT, generation, true, new CountingOrigin("d"))
                .layer()).isEqualTo(TwoLevelCache.Layer.L2);
    }

    private Redis redis() {
        Redis created = new Redis(client, Duration.ofMillis(200), new SimpleMeterRegistry());
        opened.add(created);
        return created;
    }

    @Test
    void aValueProvenAtALaterGenerationIsServedFromMemoryAndFromRedisWithoutAnotherLoad() {
        TwoLevelCache<Record> cache = cache(redis);
        ProvingKeep revalidation = new ProvingKeep();
        CountingOrigin origin = new CountingOrigin("keep@100");

        cache.get(key("k"), TENANT, 100, true, origin, revalidation);
        TwoLevelCache.Result<Record> later = cache.get(key("k"), TENANT, 200, true, origin, revalidation);
        TwoLevelCache.Result<Record> again = cache.get(key("k"), TENANT, 200, true, origin, revalidation);
        TwoLevelCache.Result<Record> elsewhere = cache(redis()).get(key("k"), TENANT, 300, true, origin, revalidation);

        assertThat(later.layer()).isEqualTo(TwoLevelCache.Layer.L1);
        assertThat(later.value().text()).isEqualTo("keep@200");
        assertThat(again.layer()).as("proven once per generation").isEqualTo(TwoLevelCache.Layer.L1);
        assertThat(elsewhere.layer()).isEqualTo(TwoLevelCache.Layer.L2);
        assertThat(elsewhere.value().text()).isEqualTo("keep@300");
        assertThat(revalidation.calls.get()).isEqualTo(2);
        assertThat(origin.calls.get()).isEqualTo(1);
    }

    @Test
    void aValueThatNoLongerHoldsIsLoadedAgainAndItsOlderRedisCopyIsNotProvenTwice() {
        TwoLevelCache<Record> cache = cache(redis);
        ProvingKeep revalidation = new ProvingKeep();

        cache.get(key("k"), TENANT, 100, true, new CountingOrigin("drop@100"), revalidation);
        CountingOrigin reload = new CountingOrigin("drop@200");
        TwoLevelCache.Result<Record> later = cache.get(key("k"), TENANT, 200, true, reload, revalidation);

        assertThat(later.layer()).isEqualTo(TwoLevelCache.Layer.ORIGIN);
        assertThat(later.value().text()).isEqualTo("drop@200");
        assertThat(reload.calls.get()).isEqualTo(1);
        assertThat(revalidation.calls.get()).as("the L1 entry only; Redis held the same page").isEqualTo(1);
        assertThat(cache(redis()).get(key("k"), TENANT, 200, true, reload, revalidation).value().text())
                .as("the reloaded value replaced the one in Redis").isEqualTo("drop@200");
    }

    /** Values {@code keep@<generation>} hold at any later generation; {@code drop@...} ones never do. */
    private static final class ProvingKeep implements TwoLevelCache.Revalidation<Record> {

        private final AtomicInteger calls = new AtomicInteger();

        @Override
        public long generation(Record value) {
            return Long.parseLong(value.text().substring(value.text().indexOf('@') + 1));
        }

        @Override
        public Record revalidate(Record value, long generation) {
            calls.incrementAndGet();
            return value.text().startsWith("keep@") ? new Record("keep@" + generation) : null;
        }
    }

    /** A key of the tenant, as generation-bound entries must be (they share the generation's cluster slot). */
    private static String key(String name) {
        return CacheKeys.document(TENANT, name);
    }

    private static TwoLevelCache<Record> cache(Redis redis) {
        return new TwoLevelCache<>(new TwoLevelCache.Settings<Record>("test", 100, 0.1, value -> Duration.ofMinutes(1)),
                redis, CacheCodec.smile(Record.class), new SimpleMeterRegistry());
    }

    private long getCalls() {
        String info = redis.execute(commands -> commands.info("commandstats"));
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("cmdstat_get:")) {
                String calls = line.substring(line.indexOf("calls=") + 6);
                return Long.parseLong(calls.substring(0, calls.indexOf(',')));
            }
        }
        return 0;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    record Record(String text) {
    }

    private static final class CountingOrigin implements Supplier<Record> {

        private final String text;
        private final AtomicInteger calls = new AtomicInteger();

        CountingOrigin(String text) {
            this.text = text;
        }

        @Override
        public Record get() {
            calls.incrementAndGet();
            return new Record(text);
        }
    }
}
