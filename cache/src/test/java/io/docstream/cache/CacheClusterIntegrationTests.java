package io.docstream.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.platform.redis.Redis;
import io.docstream.platform.redis.TestRedisCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The two-level cache, generations and change logs on a real Redis Cluster (three masters, three replicas), with
 * tenants whose keys live on each of the masters: every script touching a tenant's keys runs in the tenant's slot.
 */
class CacheClusterIntegrationTests {

    private static final TestRedisCluster CLUSTER = TestRedisCluster.start();
    private static final Duration RETENTION = Duration.ofMinutes(5);
    /** One tenant per master. */
    private static final List<String> TENANTS = tenantsOnEveryMaster();

    private final List<Redis> opened = new ArrayList<>();
    private final Redis redis = open();

    @AfterEach
    void closeClients() {
        opened.forEach(Redis::close);
    }

    @AfterAll
    static void stopCluster() {
        CLUSTER.close();
    }

    @Test
    void aChangeEvictsTheDocumentMovesTheGenerationAndIsReadBackOnEveryMaster() {
        ChangeLog log = new ChangeLog(redis);
        Generations generations = new Generations(redis);
        for (String tenant : TENANTS) {
            long before = generations.current(tenant);
            String document = CacheKeys.document(tenant, "doc-1");
            CLUSTER.withCluster(commands -> commands.set(document, "cached"));

            TenantChanges.Change change = log.record(tenant, "doc-1", List.of(document), Instant.now(), RETENTION, 100);

            assertThat(change.previous()).isEqualTo(before);
            assertThat(CLUSTER.get(document)).isNull();
            assertThat(generations.current(tenant)).isEqualTo(change.generation());
            assertThat(new ChangeLog(open()).read(tenant, before)).containsExactly(change);
            assertThat(CLUSTER.getOnReplica(CacheKeys.generation(tenant))).as("replicated before it counted as done")
                    .isEqualTo(Long.toString(change.generation()));
        }
    }

    @Test
    void aValueComputedBeforeAChangeIsNeverStoredAfterIt() {
        Generations generations = new Generations(redis);
        for (String tenant : TENANTS) {
            String key = CacheKeys.document(tenant, "doc-2");
            long generation = generations.current(tenant);
            assertThat(generations.storeIfCurrent(tenant, generation, key, bytes("v1"), 60_000)).isTrue();
            assertThat(CLUSTER.get(key)).isEqualTo("v1");

            new ChangeLog(redis).record(tenant, "doc-2", List.of(key), Instant.now(), RETENTION, 100);

            assertThat(generations.storeIfCurrent(tenant, generation, key, bytes("v1"), 60_000)).isFalse();
            assertThat(CLUSTER.get(key)).isNull();
        }
    }

    @Test
    void instancesShareValuesThroughTheClusterAndLoadAgainAfterAChange() {
        TwoLevelCache<Text> one = cache(redis);
        TwoLevelCache<Text> two = cache(open());
        Generations generations = new Generations(redis);
        for (String tenant : TENANTS) {
            String key = CacheKeys.document(tenant, "doc-3");
            long generation = generations.current(tenant);
            assertThat(one.get(key, tenant, generation, true, () -> new Text("v1")).layer())
                    .isEqualTo(TwoLevelCache.Layer.ORIGIN);
            TwoLevelCache.Result<Text> shared = two.get(key, tenant, generation, true, () -> new Text("never"));
            assertThat(shared.layer()).isEqualTo(TwoLevelCache.Layer.L2);
            assertThat(shared.value().text()).isEqualTo("v1");

            long moved = new ChangeLog(redis).record(tenant, "doc-3", List.of(key), Instant.now(), RETENTION, 100)
                    .generation();

            for (TwoLevelCache<Text> cache : List.of(one, two)) {
                TwoLevelCache.Result<Text> after = cache.get(key, tenant, moved, true, () -> new Text("v2"));
                assertThat(after.value().text()).isEqualTo("v2");
                assertThat(after.redisFailed()).isFalse();
            }
        }
    }

    @Test
    void aKeyOfAnotherTenantIsRefusedBeforeRedisSeesIt() {
        String mine = TENANTS.get(0);
        String other = CacheKeys.document(TENANTS.get(1), "doc");
        assertThatThrownBy(() -> new ChangeLog(redis).record(mine, "doc", List.of(other), Instant.now(), RETENTION, 9))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Generations(redis).storeIfCurrent(mine, 1, other, bytes("x"), 1000))
                .isInstanceOf(IllegalArgumentException.class);
    }

    record Text(String text) {
    }

    private static TwoLevelCache<Text> cache(Redis redis) {
        return new TwoLevelCache<>(new TwoLevelCache.Settings<Text>("test", 100, 0.1, value -> Duration.ofMinutes(1)),
                redis, CacheCodec.smile(Text.class), new SimpleMeterRegistry());
    }

    private Redis open() {
        Redis created = CLUSTER.serviceClient();
        opened.add(created);
        return created;
    }

    private static List<String> tenantsOnEveryMaster() {
        Map<Integer, String> byMaster = new LinkedHashMap<>();
        for (int i = 0; byMaster.size() < 3; i++) {
            String tenant = "tenant-" + i;
            byMaster.putIfAbsent(CLUSTER.masterPortOf(CacheKeys.generation(tenant)), tenant);
        }
        return List.copyOf(byMaster.values());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
