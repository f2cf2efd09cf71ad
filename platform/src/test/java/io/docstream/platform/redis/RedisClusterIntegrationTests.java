package io.docstream.platform.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The services' Redis client against a real Redis Cluster (three masters, three replicas): commands and scripts are
 * routed by slot, a script's keys must share one (a hash tag), pub/sub reaches subscribers on any node, and writes
 * made through {@link Redis#executeReplicated} outlive the master that took them.
 */
class RedisClusterIntegrationTests {

    private static final TestRedisCluster CLUSTER = TestRedisCluster.start();
    private static final LuaScript SET_BOTH = new LuaScript("""
            redis.call('SET', KEYS[1], ARGV[1])
            redis.call('SET', KEYS[2], ARGV[1])
            return 1
            """);

    private final Redis redis = CLUSTER.serviceClient();

    @AfterEach
    void closeClient() {
        redis.close();
    }

    @AfterAll
    static void stopCluster() {
        CLUSTER.close();
    }

    @Test
    void commandsReachTheMasterOfTheirKeysSlotOnEveryNode() {
        List<String> keys = List.of("ds:{alpha}:gen", "ds:{beta}:gen", "ds:{gamma}:gen", "ds:{delta}:gen");
        assertThat(keys.stream().map(CLUSTER::masterPortOf).distinct().count())
                .as("the keys live on more than one master").isGreaterThan(1);
        for (String key : keys) {
            redis.execute(commands -> commands.set(key, bytes(key)));
        }
        for (String key : keys) {
            assertThat(CLUSTER.get(key)).isEqualTo(key);
            assertThat(new String(redis.execute(commands -> commands.get(key)), StandardCharsets.UTF_8)).isEqualTo(key);
        }
    }

    @Test
    void aScriptRunsWhenItsKeysShareAHashTagAndIsRefusedWhenTheySpanSlots() {
        String[] tagged = {"ds:{acme}:gen", "ds:{acme}:d:doc-1"};
        Long ran = redis.execute(commands -> SET_BOTH.run(commands, ScriptOutputType.INTEGER, tagged, bytes("7")));
        assertThat(ran).isOne();
        assertThat(CLUSTER.get(tagged[0])).isEqualTo("7");
        assertThat(CLUSTER.get(tagged[1])).isEqualTo("7");

        String[] untagged = {"ds:gen:acme", "ds:d:acme:doc-1"};
        assertThat(SlotHash.getSlot(untagged[0])).isNotEqualTo(SlotHash.getSlot(untagged[1]));
        assertThatThrownBy(() -> redis.execute(
                commands -> SET_BOTH.run(commands, ScriptOutputType.INTEGER, untagged, bytes("7"))))
                .isInstanceOf(RedisUnavailableException.class).hasMessageContaining("CROSSSLOT");
    }

    @Test
    void aSubscriberHearsWhatIsPublishedThroughAnyNode() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        try (Redis publisher = CLUSTER.serviceClient();
                AutoCloseable subscription = redis.subscribe("ds:invalidations",
                        message -> heard.add(new String(message, StandardCharsets.UTF_8)), Duration.ofMillis(100))) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                publisher.publish("ds:invalidations", bytes("ping"));
                assertThat(heard).contains("ping");
            });
            publisher.publish("ds:invalidations", bytes("generation 2"));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(heard).contains("generation 2"));
        }
    }

    @Test
    void aReplicatedWriteCountsAsDoneOnlyOnceTheReplicaHoldsIt() throws Exception {
        String key = "ds:{replicated}:gen";
        String written = redis.executeReplicated(key, commands -> commands.set(key, bytes("42")));
        assertThat(written).isEqualTo("OK");
        assertThat(CLUSTER.getOnReplica(key)).as("the replica's own copy").isEqualTo("42");

        try (AutoCloseable frozen = CLUSTER.freezeReplicaOf(key)) {
            assertThatThrownBy(() -> redis.executeReplicated(key, commands -> commands.set(key, bytes("43"))))
                    .isInstanceOf(RedisUnavailableException.class)
                    .hasMessageContaining("0 of 1 replicas acknowledged");
        }
        // A write that need not be replicated is done as soon as the master has it.
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .until(() -> "OK".equals(redis.execute(commands -> commands.set("ds:{other}:x", bytes("1")))));
        CLUSTER.awaitHealthy();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
