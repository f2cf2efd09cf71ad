package io.docstream.platform.redis;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import redis.embedded.core.ExecutableProvider;

/**
 * A real Redis Cluster for tests: six {@code redis-server} processes (the binary shipped in the embedded-redis jar) on
 * free loopback ports, formed by the cluster commands themselves (no {@code redis-cli} needed) into three masters with
 * one replica each, failing over after a second. A test can kill the master serving a key and wait until its replica
 * took over.
 */
public final class TestRedisCluster implements AutoCloseable {

    private static final int MASTERS = 3;
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration FORMING = Duration.ofSeconds(30);

    private final Path directory;
    private final List<Node> nodes = new ArrayList<>();
    /** Shared by the helper's own short-lived clients (event loops are costly to start). */
    private final ClientResources resources = DefaultClientResources.create();

    /** One server process; {@code nodeId} is its cluster node id. */
    private static final class Node {

        final int port;
        Process process;
        String nodeId;
        volatile boolean frozen;

        Node(int port) {
            this.port = port;
        }
    }

    private TestRedisCluster(Path directory) {
        this.directory = directory;
    }

    /** Starts six servers and forms the cluster; returns once every slot is served and every master has its replica. */
    public static TestRedisCluster start() {
        TestRedisCluster cluster;
        try {
            cluster = new TestRedisCluster(Files.createTempDirectory("docstream-redis-cluster"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            cluster.launch();
            cluster.form();
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void launch() {
        File binary;
        try {
            binary = ExecutableProvider.newJarResourceProvider().get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < 2 * MASTERS; i++) {
            Node node = new Node(TestRedis.freePort());
            Path home = directory.resolve(Integer.toString(node.port));
            try {
                Files.createDirectories(home);
                node.process = new ProcessBuilder(binary.getAbsolutePath(), "--port", Integer.toString(node.port),
                        "--bind", "127.0.0.1", "--cluster-enabled", "yes",
                        "--cluster-node-timeout", Long.toString(NODE_TIMEOUT.toMillis()),
                        "--cluster-config-file", home.resolve("nodes.conf").toString(), "--dir", home.toString(),
                        "--save", "", "--appendonly", "no", "--protected-mode", "no")
                        .redirectErrorStream(true).redirectOutput(home.resolve("redis.log").toFile()).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            nodes.add(node);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> nodes.forEach(node -> {
            if (node.process != null) {
                node.process.destroyForcibly();
            }
        })));
        nodes.forEach(node -> await("port " + node.port + " to open", () -> listening(node.port)));
    }

    /** CLUSTER MEET, ADDSLOTS and REPLICATE, as {@code redis-cli --cluster create} sends them. */
    private void form() {
        for (Node node : nodes) {
            node.nodeId = on(node, RedisCommands::clusterMyId);
        }
        for (Node other : nodes.subList(1, nodes.size())) {
            on(nodes.get(0), commands -> commands.clusterMeet("127.0.0.1", other.port));
        }
        await("every node to know every other", () -> nodes.stream()
                .allMatch(node -> on(node, RedisCommands::clusterNodes).lines().count() == nodes.size()));
        int per = SlotHash.SLOT_COUNT / MASTERS;
        for (int m = 0; m < MASTERS; m++) {
            int from = m * per;
            int to = m == MASTERS - 1 ? SlotHash.SLOT_COUNT : from + per;
            on(nodes.get(m), commands -> commands.clusterAddSlots(IntStream.range(from, to).toArray()));
        }
        for (int m = 0; m < MASTERS; m++) {
            Node master = nodes.get(m);
            Node replica = nodes.get(MASTERS + m);
            await("the replica of " + master.port + " to see it as a master", () -> on(replica,
                    commands -> commands.clusterNodes().lines()
                            .anyMatch(line -> line.startsWith(master.nodeId) && line.contains("master"))));
            on(replica, commands -> commands.clusterReplicate(master.nodeId));
        }
        awaitHealthy();
    }

    /**
     * Waits until every live node says {@code cluster_state:ok}, sees no failing node it still counts on, and every
     * live master has a replica in sync.
     */
    public void awaitHealthy() {
        await("the cluster to be healthy", () -> live().allMatch(node -> {
            String info = on(node, RedisCommands::clusterInfo);
            String replication = on(node, commands -> commands.info("replication"));
            return info.contains("cluster_state:ok") && info.contains("cluster_slots_ok:" + SlotHash.SLOT_COUNT)
                    && (replication.contains("role:slave") ? replication.contains("master_link_status:up")
                            : replication.contains("connected_slaves:1") && replication.contains("state=online"));
        }));
    }

    /** Seed nodes for {@code docstream.redis.cluster-nodes}. */
    public String clusterNodes() {
        return nodes.stream().map(node -> "127.0.0.1:" + node.port).collect(Collectors.joining(","));
    }

    /** The services' fail-fast settings for this cluster, refreshing the topology every second. */
    public RedisProperties properties() {
        return new RedisProperties("redis://127.0.0.1:" + nodes.get(0).port, Duration.ofMillis(250),
                Duration.ofMillis(200), null, Duration.ofSeconds(2)).withClusterNodes(clusterNodes(),
                        Duration.ofSeconds(1));
    }

    /** The client the services use (a cluster client waiting for one replica on replicated writes); caller closes. */
    public Redis serviceClient() {
        return serviceClient(Redis.Replication.of(properties()));
    }

    /** A service client whose replicated writes wait as given (e.g. {@link Redis.Replication#NONE}). */
    public Redis serviceClient(Redis.Replication replication) {
        RedisProperties properties = properties();
        return new Redis(RedisConfiguration.createClusterClient(properties), properties.retryInterval(),
                properties.maxConcurrent(), replication, null, Clock.systemUTC());
    }

    /** The port of the master serving {@code key} now. */
    public int masterPortOf(String key) {
        int slot = SlotHash.getSlot(key);
        Node any = live().findFirst().orElseThrow();
        return on(any, RedisCommands::clusterNodes).lines()
                .map(line -> line.split(" "))
                .filter(fields -> fields[2].contains("master") && !fields[2].contains("fail"))
                .filter(fields -> Stream.of(fields).skip(8).anyMatch(range -> covers(range, slot)))
                .map(fields -> Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1).split("@")[0]))
                .findFirst().orElseThrow(() -> new IllegalStateException("no master serves slot " + slot));
    }

    private static boolean covers(String range, int slot) {
        if (range.startsWith("[")) {
            return false;
        }
        String[] bounds = range.split("-");
        int from = Integer.parseInt(bounds[0]);
        int to = bounds.length == 1 ? from : Integer.parseInt(bounds[1]);
        return slot >= from && slot <= to;
    }

    /** Kills (SIGKILL, no goodbye) the master serving {@code key}; returns its port. */
    public int killMasterOf(String key) {
        int port = masterPortOf(key);
        Node node = nodes.stream().filter(candidate -> candidate.port == port).findFirst().orElseThrow();
        node.process.destroyForcibly();
        try {
            node.process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        node.process = null;
        return port;
    }

    /** Waits until another node than {@code deadPort} serves {@code key}'s slot and every live node agrees. */
    public void awaitFailover(String key, int deadPort) {
        await("a replica to take over from " + deadPort, () -> {
            try {
                return masterPortOf(key) != deadPort && live().allMatch(
                        node -> on(node, RedisCommands::clusterInfo).contains("cluster_state:ok"));
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    /** Reads {@code key} from the replica of its master (its own copy, READONLY); null when missing there. */
    public String getOnReplica(String key) {
        return on(replicaOf(key), commands -> {
            commands.readOnly();
            return commands.get(key);
        });
    }

    /**
     * Drops the replication link of {@code key}'s master (CLIENT KILL TYPE replica): what the master takes until the
     * replica reconnects (within about a second) reaches the replica only then.
     */
    public void disconnectReplicaOf(String key) {
        int port = masterPortOf(key);
        Node master = nodes.stream().filter(node -> node.port == port).findFirst().orElseThrow();
        on(master, commands -> commands.clientKill(KillArgs.Builder.typeSlave()));
    }

    /**
     * Freezes the replica of {@code key}'s master (SIGSTOP) until the returned handle is closed (SIGCONT), so it
     * acknowledges nothing meanwhile. Keep it shorter than the node timeout (a second) or the cluster marks it failed.
     */
    public AutoCloseable freezeReplicaOf(String key) {
        Node replica = replicaOf(key);
        signal(replica, "STOP");
        replica.frozen = true;
        return () -> {
            signal(replica, "CONT");
            replica.frozen = false;
        };
    }

    private Node replicaOf(String key) {
        String master = "master_port:" + masterPortOf(key);
        return live().filter(node -> {
            String replication = on(node, commands -> commands.info("replication"));
            return replication.contains("role:slave") && replication.lines().anyMatch(line -> line.trim().equals(master));
        }).findFirst().orElseThrow(() -> new IllegalStateException("no replica of " + master));
    }

    private static void signal(Node node, String signal) {
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(node.process.pid())).start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " failed: " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Plain string commands routed through the cluster (a client of its own), to set up and inspect state. */
    public <T> T withCluster(Function<RedisClusterCommands<String, String>, T> work) {
        RedisClusterClient client = RedisClusterClient.create(resources,
                live().map(node -> RedisURI.create("127.0.0.1", node.port)).toList());
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            return work.apply(connection.sync());
        } finally {
            client.shutdown();
        }
    }

    /** Reads a key from its master; null when missing. */
    public String get(String key) {
        int port = masterPortOf(key);
        return on(nodes.stream().filter(node -> node.port == port).findFirst().orElseThrow(),
                commands -> commands.get(key));
    }

    /** Removes every key from every live master (between tests). */
    public void flushAll() {
        live().forEach(node -> on(node, commands -> {
            String role = commands.info("replication");
            return role.contains("role:master") ? commands.flushall() : null;
        }));
    }

    /** Nodes running and not frozen (a frozen node would hang whoever asks it). */
    private Stream<Node> live() {
        return nodes.stream().filter(node -> node.process != null && node.process.isAlive() && !node.frozen);
    }

    private <T> T on(Node node, Function<RedisCommands<String, String>, T> work) {
        RedisClient client = RedisClient.create(resources, RedisURI.create("127.0.0.1", node.port));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return work.apply(connection.sync());
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + FORMING.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        for (Node node : nodes) {
            if (node.process != null) {
                node.process.destroyForcibly();
                try {
                    node.process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                node.process = null;
            }
        }
        resources.shutdown();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // A temp directory left behind is harmless.
        }
    }
}
