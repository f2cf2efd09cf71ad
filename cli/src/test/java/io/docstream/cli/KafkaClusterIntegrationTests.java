package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.cli.ApiClient.Answer;
import io.docstream.cli.run.EmbeddedRuntime;
import io.docstream.cli.run.ExternalKafka;
import io.docstream.cli.run.ProcessInfrastructure;
import io.docstream.cli.run.RuntimeOptions;
import io.docstream.platform.kafka.KafkaTopicsProperties;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentIndexed;
import io.docstream.schemas.topics.Topic;
import io.docstream.schemas.topics.Topics;
import io.docstream.search.DocumentHit;
import io.docstream.search.IndexQuery;
import io.docstream.search.SearchIndex;
import kafka.server.BrokerIdAndFetcherId;
import kafka.server.ReplicaFetcherThread;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/**
 * docstream on a replicated Kafka cluster: three KRaft brokers in this JVM, docstream's topics created from its
 * configuration with replication factor 3 and {@code min.insync.replicas} 2, the whole system running on them. A
 * writer creates and updates documents (client-given versions) while the broker leading the most document
 * partitions fails the way that loses writes acknowledged by the leader alone: its followers stop fetching from
 * it for a second (a GC pause, a network blip), then it is shut down without a controlled shutdown, as a crash,
 * and its partitions keep it as leader until the controller fences it. Afterwards every write ingest answered 202
 * is in the documents topic (once), each document is indexed once at the newest version the log holds
 * (PostgreSQL, the indexed topic and the index agree, the invalidator made it searchable), and every Streams app
 * is running again. With {@code acks=1} the writes the leader alone held during that second are lost and the
 * test fails.
 */
class KafkaClusterIntegrationTests {

    private static final String TENANT = "demo";
    private static final int BROKERS = 3;
    private static final KafkaTopicsProperties REPLICATED = new KafkaTopicsProperties((short) 3, 2);
    private static final int DOCUMENTS = 100;
    private static final int VERSIONS = 3;
    private static final int WRITERS = 3;
    /** How long the followers lag behind the doomed leader before it goes. */
    private static final Duration REPLICATION_STALL = Duration.ofSeconds(1);
    /** Acknowledged writes before the broker goes, so it goes in the middle of the stream. */
    private static final int WRITES_BEFORE_KILL = DOCUMENTS + DOCUMENTS / 3;
    private static final Set<String> STREAMS_APPS = Set.of("docstream-indexer", "docstream-invalidator",
            "docstream-analytics");

    private KafkaClusterTestKit cluster;
    private EmbeddedRuntime runtime;
    private Path dataDir;

    /** One PUT: the version sent, and the status and version ingest answered (-1 when no answer came). */
    record Write(String document, long version, boolean afterFault, int status, long answeredVersion, long millis,
            String error) {

        boolean acknowledged() {
            return status == 202;
        }
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (runtime != null) {
                runtime.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            if (dataDir != null) {
                ProcessInfrastructure.deleteRecursively(dataDir);
            }
        }
    }

    @Test
    void everyAcknowledgedWriteIsIndexedOnceAtItsVersionThroughTheLossOfALeaderBroker() throws Exception {
        cluster = startCluster();
        dataDir = Files.createTempDirectory("docstream-kafka-cluster-tests");
        RuntimeOptions options = RuntimeOptions.defaults().withDataDir(dataDir).withFreePorts();
        runtime = EmbeddedRuntime.start(options, new ExternalKafka(cluster.bootstrapServers(), REPLICATED),
                System.out);
        ApiClient client = new ApiClient(runtime.apiKey());

        Thread watcher = null;
        try (Admin admin = admin()) {
            assertReplicatedAsConfigured(admin, Topics.ALL.stream().map(Topic::name).toList());

            Queue<Write> writes = new ConcurrentLinkedQueue<>();
            AtomicBoolean faulted = new AtomicBoolean();
            AtomicInteger acknowledged = new AtomicInteger();
            // Each writer owns its documents, so a document's versions are sent in order.
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(Thread.ofPlatform().name("cluster-test-writer-" + w).start(() -> {
                    for (int version = 1; version <= VERSIONS; version++) {
                        for (int i = writer; i < DOCUMENTS; i += WRITERS) {
                            Write write = write(client, options.ingestUrl(), "doc-" + i, version, faulted.get());
                            writes.add(write);
                            if (write.acknowledged()) {
                                acknowledged.incrementAndGet();
                            }
                        }
                    }
                }));
            }
            Map<String, Set<KafkaStreams.State>> statesAfterFault = new ConcurrentHashMap<>();
            watcher = Thread.ofPlatform().name("cluster-test-streams-watcher").daemon(true).start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    if (faulted.get()) {
                        runtime.streamsStates().forEach((app, state) ->
                                statesAfterFault.computeIfAbsent(app, a -> ConcurrentHashMap.newKeySet()).add(state));
                    }
                    pause(Duration.ofMillis(100));
                }
            });

            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.get() >= WRITES_BEFORE_KILL);
            int victim = leaderOfMostDocumentPartitions(admin);
            List<Integer> ledByVictim = partitionsLedBy(admin, Topics.DOCUMENTS.name(), victim);
            assertThat(ledByVictim).as("documents partitions the lost broker leads").isNotEmpty();
            long faultAt = System.nanoTime();
            faulted.set(true);
            int acknowledgedBefore = acknowledged.get();
            stallReplicationFrom(victim);
            pause(REPLICATION_STALL);
            long killedAt = System.nanoTime();
            cluster.brokers().get(victim).shutdown();
            System.out.printf("kafka cluster: followers stopped fetching from broker %d (leading documents"
                    + " partitions %s) after %d acknowledged writes; %d ms later it was shut down without a"
                    + " controlled shutdown, in %d ms%n", victim, ledByVictim, acknowledgedBefore,
                    TimeUnit.NANOSECONDS.toMillis(killedAt - faultAt), millisSince(killedAt));

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> partitionsLedBy(admin, Topics.DOCUMENTS.name(), victim).isEmpty());
            System.out.printf("kafka cluster: leaders moved off broker %d within %d ms of its shutdown%n", victim,
                    millisSince(killedAt));
            for (Thread writer : writers) {
                writer.join(Duration.ofMinutes(3));
                assertThat(writer.isAlive()).as("%s finished", writer.getName()).isFalse();
            }
            System.out.printf("kafka cluster: writers done %d ms after the shutdown%n", millisSince(killedAt));

            List<Write> all = List.copyOf(writes);
            report(all);
            assertThat(all.stream().filter(Write::acknowledged)).as("ingest acknowledges the version it was sent")
                    .allSatisfy(write -> assertThat(write.answeredVersion()).isEqualTo(write.version()));
            assertThat(all.stream().filter(w -> w.afterFault() && w.acknowledged()))
                    .as("writes acknowledged after the fault began").hasSizeGreaterThan(DOCUMENTS);

            Map<String, Map<Long, Integer>> logged = versionsIn(Topics.DOCUMENTS.name(), "read_uncommitted");
            assertThat(all.stream().filter(Write::acknowledged)
                    .filter(write -> !logged.getOrDefault(write.document(), Map.of()).containsKey(write.version()))
                    .map(write -> write.document() + "@" + write.version()))
                    .as("writes answered 202 that the documents topic does not hold").isEmpty();
            assertThat(duplicates(logged)).as("document commands in the log twice (a producer retry"
                    + " appended again)").isEmpty();
            Map<String, Long> newest = newestVersions(logged);
            assertThat(newest).as("documents in the log").hasSize(DOCUMENTS);

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> searchableAtNewestVersion(options, newest) == DOCUMENTS);
            System.out.printf("kafka cluster: all indexed and searchable %d ms after the shutdown%n",
                    millisSince(killedAt));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> runtime.streamsStates().values().stream()
                            .allMatch(state -> state == KafkaStreams.State.RUNNING));
            System.out.println("kafka cluster: streams states seen after the fault " + new TreeMap<>(statesAfterFault)
                    + ", now " + runtime.streamsStates());

            assertThat(runtime.streamsStates()).as("every Streams app is running again")
                    .containsOnlyKeys(STREAMS_APPS)
                    .allSatisfy((app, state) -> assertThat(state).isEqualTo(KafkaStreams.State.RUNNING));
            assertStoredOnceAtNewestVersion(options, newest);
            assertIndexedOnceAtNewestVersion(runtime.indexTargets().serving(), newest);
            Map<String, Map<Long, Integer>> indexed = versionsIn(Topics.INDEXED.name(), "read_committed");
            assertThat(duplicates(indexed)).as("versions indexed twice (indexed topic, committed)").isEmpty();
            assertThat(newestVersions(indexed)).as("newest indexed version of each document").isEqualTo(newest);
            assertReplicatedAsConfigured(admin, streamsInternalTopics(admin));
        } finally {
            if (watcher != null) {
                watcher.interrupt();
            }
        }
    }

    /**
     * Three brokers and a controller of their own (so losing a broker leaves the quorum alone), the transaction
     * and offsets logs replicated on all three brokers with two in sync; brokers shut down without moving their
     * leaders first (as a crash), and a broker that stopped heartbeating fenced within a few seconds. Spring's
     * {@code EmbeddedKafkaKraftBroker} with three nodes makes each a controller too, and that quorum's raft
     * threads failed on Kafka 4.2 ({@code UpdateVoter}: invalid request), so the test kit is used directly.
     */
    private static KafkaClusterTestKit startCluster() throws Exception {
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(false)
                .setNumControllerNodes(1)
                .setNumBrokerNodes(BROKERS)
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .build());
        Map.ofEntries(
                Map.entry("offsets.topic.replication.factor", "3"),
                Map.entry("offsets.topic.num.partitions", "6"),
                Map.entry("transaction.state.log.replication.factor", "3"),
                Map.entry("transaction.state.log.min.isr", "2"),
                Map.entry("transaction.state.log.num.partitions", "6"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("controlled.shutdown.enable", "false"),
                Map.entry("broker.session.timeout.ms", "4000"),
                Map.entry("broker.heartbeat.interval.ms", "500"),
                Map.entry("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024)),
                Map.entry("num.network.threads", "2"),
                Map.entry("num.io.threads", "2")).forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    private Write write(ApiClient client, String ingestUrl, String document, long version, boolean afterFault) {
        Map<String, Object> body = Map.of("title", "Record " + document,
                "body", "Record " + document + " at version " + version + " carries the marker " + marker(document)
                        + " and the word " + versionWord(version) + ".",
                "version", version);
        long start = System.nanoTime();
        try {
            Answer answer = client.put(ingestUrl + "/api/v1/documents/" + document, body);
            boolean accepted = answer.status() == 202;
            return new Write(document, version, afterFault, answer.status(),
                    accepted ? answer.json().path("version").asLong() : -1, millisSince(start),
                    accepted ? null : answer.body());
        } catch (IllegalStateException e) {
            return new Write(document, version, afterFault, -1, -1, millisSince(start), String.valueOf(e.getCause()));
        }
    }

    /** A word only this document's text holds, so a keyword search finds exactly it. */
    private static String marker(String document) {
        return "mark" + document.replace("-", "");
    }

    private static String versionWord(long version) {
        return List.of("amber", "birch", "cobalt", "dune").get((int) version - 1);
    }

    private int leaderOfMostDocumentPartitions(Admin admin) throws Exception {
        Map<Integer, Long> led = describe(admin, List.of(Topics.DOCUMENTS.name())).get(Topics.DOCUMENTS.name())
                .partitions().stream().map(partition -> partition.leader().id())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        return led.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /**
     * The other brokers stop replicating from {@code victim}: their fetcher threads for it end, so its partitions
     * (documents, changelogs, the transaction and offsets logs it leads) take writes that only it holds. An
     * {@code acks=all} write waits for the followers; an {@code acks=1} write is acknowledged at once.
     */
    private void stallReplicationFrom(int victim) {
        cluster.brokers().forEach((id, broker) -> {
            if (id != victim) {
                Map<BrokerIdAndFetcherId, ReplicaFetcherThread> fetchers = new HashMap<>(CollectionConverters.asJava(
                        broker.replicaManager().replicaFetcherManager().fetcherThreadMap()));
                fetchers.forEach((fetcher, thread) -> {
                    if (fetcher.brokerId() == victim) {
                        thread.shutdown();
                    }
                });
            }
        });
    }

    private static List<Integer> partitionsLedBy(Admin admin, String topic, int broker) throws Exception {
        return describe(admin, List.of(topic)).get(topic).partitions().stream()
                .filter(partition -> partition.leader() != null && partition.leader().id() == broker)
                .map(TopicPartitionInfo::partition).toList();
    }

    private static void assertReplicatedAsConfigured(Admin admin, Collection<String> topics) throws Exception {
        assertThat(topics).isNotEmpty();
        Map<String, TopicDescription> descriptions = describe(admin, topics);
        assertThat(descriptions.values()).allSatisfy(description -> assertThat(description.partitions())
                .as(description.name()).allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3)));
        List<ConfigResource> resources = topics.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
        assertThat(configs).allSatisfy((resource, config) -> assertThat(
                config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).as(resource.name()).isEqualTo("2"));
    }

    private static List<String> streamsInternalTopics(Admin admin) throws Exception {
        return admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                .filter(topic -> STREAMS_APPS.stream().anyMatch(app -> topic.startsWith(app + "-")))
                .sorted().toList();
    }

    private static Map<String, TopicDescription> describe(Admin admin, Collection<String> topics) throws Exception {
        return admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
    }

    /** How often each version of each document of the tenant is in {@code topic}, read to its end. */
    private Map<String, Map<Long, Integer>> versionsIn(String topic, String isolation) {
        Deserializer<?> values = topic.equals(Topics.DOCUMENTS.name()) ? Topics.DOCUMENTS.valueSerde().deserializer()
                : Topics.INDEXED.valueSerde().deserializer();
        Map<String, Map<Long, Integer>> versions = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                assertThat(System.nanoTime()).as("read %s to its end", topic).isLessThan(deadline);
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null || !record.key().startsWith(TENANT + "/")) {
                        continue;
                    }
                    long version = switch (values.deserialize(topic, record.value())) {
                        case DocumentCommand command -> command.version();
                        case DocumentIndexed event -> event.version();
                        default -> throw new IllegalStateException("unexpected value in " + topic);
                    };
                    versions.computeIfAbsent(record.key().substring(TENANT.length() + 1), d -> new TreeMap<>())
                            .merge(version, 1, Integer::sum);
                }
            }
        }
        return versions;
    }

    private static Map<String, Long> newestVersions(Map<String, Map<Long, Integer>> versions) {
        Map<String, Long> newest = new TreeMap<>();
        versions.forEach((document, counts) -> newest.put(document, counts.keySet().stream()
                .max(Comparator.naturalOrder()).orElseThrow()));
        return newest;
    }

    private static List<String> duplicates(Map<String, Map<Long, Integer>> versions) {
        List<String> duplicates = new ArrayList<>();
        versions.forEach((document, counts) -> counts.forEach((version, count) -> {
            if (count > 1) {
                duplicates.add(document + "@" + version + " x" + count);
            }
        }));
        return duplicates;
    }

    /** Documents PostgreSQL holds at the log's newest version, indexed and made searchable by the invalidator. */
    private static long searchableAtNewestVersion(RuntimeOptions options, Map<String, Long> newest)
            throws SQLException {
        Map<String, Long> searchable = queryVersions(options, "select d.document_id, d.version from documents d"
                + " join indexing_status s using (tenant_id, document_id) where d.tenant_id = 'demo'"
                + " and s.indexed_version = d.version and s.searchable_version = d.version and s.state = 'indexed'");
        return newest.entrySet().stream()
                .filter(entry -> entry.getValue().equals(searchable.get(entry.getKey()))).count();
    }

    private static void assertStoredOnceAtNewestVersion(RuntimeOptions options, Map<String, Long> newest)
            throws SQLException {
        assertThat(queryVersions(options, "select document_id, version from documents where tenant_id = 'demo'"))
                .as("documents in PostgreSQL at the newest version the log holds").isEqualTo(newest);
        assertThat(queryVersions(options, "select document_id, count(*) from chunks where tenant_id = 'demo'"
                + " group by document_id").values()).as("chunks per document (one short text each)")
                .hasSize(DOCUMENTS).containsOnly(1L);
        assertThat(queryVersions(options, "select c.document_id, c.version from chunks c join documents d"
                + " using (tenant_id, document_id) where c.version <> d.version")).as("chunks of another version")
                .isEmpty();
    }

    private static void assertIndexedOnceAtNewestVersion(SearchIndex index, Map<String, Long> newest) {
        assertThat(index.countDocuments(TENANT)).as("documents in the index").isEqualTo(DOCUMENTS);
        Map<String, Long> indexed = new TreeMap<>();
        for (String document : newest.keySet()) {
            List<DocumentHit> hits = index.searchKeyword(new IndexQuery(TENANT, 5, Map.of()), marker(document));
            assertThat(hits).as("index hits for %s", document).hasSize(1);
            indexed.put(hits.getFirst().documentId(), hits.getFirst().version());
        }
        assertThat(indexed).as("the version each document has in the index").isEqualTo(newest);
    }

    private static Map<String, Long> queryVersions(RuntimeOptions options, String sql) throws SQLException {
        Map<String, Long> rows = new HashMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:"
                + options.postgresPort() + "/postgres", "postgres", "postgres");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.put(result.getString(1), result.getLong(2));
            }
        }
        return rows;
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
    }

    private static void report(List<Write> writes) {
        Map<String, Long> outcomes = writes.stream().collect(Collectors.groupingBy(
                write -> (write.afterFault() ? "after" : "before") + " fault " + write.status(), TreeMap::new,
                Collectors.counting()));
        System.out.println("kafka cluster: writes by outcome " + outcomes);
        for (boolean afterFault : List.of(false, true)) {
            List<Long> millis = writes.stream().filter(write -> write.afterFault() == afterFault).map(Write::millis)
                    .sorted().toList();
            if (!millis.isEmpty()) {
                System.out.printf("kafka cluster: write latency %s fault: median %d ms, p99 %d ms, max %d ms%n",
                        afterFault ? "after" : "before", millis.get(millis.size() / 2),
                        millis.get(millis.size() * 99 / 100), millis.getLast());
            }
        }
        writes.stream().filter(write -> !write.acknowledged()).map(Write::error).distinct().limit(5)
                .forEach(error -> System.out.println("kafka cluster: refused write: " + error));
        Set<String> inDoubt = writes.stream().filter(write -> !write.acknowledged())
                .map(write -> write.document() + "@" + write.version()).collect(Collectors.toCollection(TreeSet::new));
        System.out.println("kafka cluster: writes not acknowledged " + inDoubt);
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
