package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.cli.ApiClient.Answer;
import io.docstream.cli.run.EmbeddedRuntime;
import io.docstream.cli.run.ProcessInfrastructure;
import io.docstream.cli.run.RuntimeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL, then the Kafka broker, stopped under live search, document-read and ingest traffic and started
 * again, on the whole embedded system. Searches never fail (the index and Redis still answer, keys seen before
 * stay trusted); document reads are served from the caches or answered 503 with {@code Retry-After}; ingest keeps
 * accepting while PostgreSQL is away (Kafka is the log of record) and answers 503 with {@code Retry-After}, never
 * 202, while Kafka cannot acknowledge. Afterwards every document that was accepted is indexed at its version.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DependencyOutageIntegrationTests {

    private static final List<String> SEEDED = List.of("otter", "badger", "kestrel", "salmon");
    private static final List<String> QUERIES = List.of("river otter", "badger sett", "kestrel hovering",
            "salmon run", "otter");
    /** Past the API key cache TTL (10 s), so the outage also covers keys no longer fresh. */
    private static final Duration POSTGRES_OUTAGE = Duration.ofSeconds(14);
    private static final Duration KAFKA_OUTAGE = Duration.ofSeconds(20);
    private static final Duration CATCH_UP = Duration.ofSeconds(180);
    private static final Duration FREEZE = Duration.ofSeconds(20);
    private static final Duration READ_PAUSE = Duration.ofMillis(20);
    private static final Duration WRITE_PAUSE = Duration.ofMillis(150);
    /**
     * The longest wait each kind of request may see while a dependency hangs. A cached search or read needs
     * PostgreSQL only for the API key check of a key past its TTL, which waits 2 s before trusting the key as last
     * seen live; a write needs it for nothing Kafka does not already hold: the key check's 2 s and the accepted
     * status's 2 s. Each bound leaves 2 s on top; without those waits the socket timeouts (query-api 15 s, ingest
     * 20 s, the driver's give-up on a server that stopped answering) held them.
     */
    private static final Map<String, Duration> HANG_BOUND = Map.of("search", Duration.ofSeconds(4),
            "read", Duration.ofSeconds(4), "write", Duration.ofSeconds(6));

    private Path dataDir;
    private EmbeddedRuntime runtime;
    private ApiClient client;
    private String ingestUrl;
    private String queryUrl;

    private final AtomicReference<String> phase = new AtomicReference<>("before");
    private final Queue<Observed> answers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger written = new AtomicInteger();
    /** When the current outage was complete (dependency stopped) and when its recovery began, in nanoTime. */
    private volatile long outageStart = Long.MAX_VALUE;
    private volatile long outageEnd = Long.MAX_VALUE;

    record Observed(String phase, String kind, String document, Answer answer, boolean withinOutage) {

        int status() {
            return answer.status();
        }

        boolean degraded(String part) {
            return answer.json() != null && answer.json().path("degraded").valueStream()
                    .anyMatch(value -> value.asString().equals(part));
        }

        boolean unavailableWithRetryAfter() {
            return status() == 503 && answer.headers().firstValue("Retry-After").isPresent()
                    && answer.body().contains("https://docstream.io/problems/service-unavailable");
        }
    }

    @BeforeAll
    void start() throws Exception {
        dataDir = Files.createTempDirectory("docstream-outage-tests");
        RuntimeOptions options = RuntimeOptions.defaults().withDataDir(dataDir).withFreePorts();
        runtime = EmbeddedRuntime.start(options, System.out);
        client = new ApiClient(runtime.apiKey());
        ingestUrl = options.ingestUrl();
        queryUrl = options.queryApiUrl();
    }

    @AfterAll
    void stop() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        ProcessInfrastructure.deleteRecursively(dataDir);
    }

    @Test
    void searchesKeepAnsweringIngestNeverClaimsWhatKafkaDidNotTakeAndNothingAcceptedIsLost() throws Exception {
        seed();
        underTraffic(() -> {
            outage("postgres-down", runtime::stopPostgres, POSTGRES_OUTAGE, runtime::restartPostgres);
            recovered("postgres-back");
            outage("kafka-down", runtime::stopKafka, KAFKA_OUTAGE, runtime::restartKafka);
            recovered("kafka-back");
        });
        report(List.of("before", "postgres-down", "postgres-back", "kafka-down", "kafka-back"));

        List<Observed> searches = ofKind("search");
        assertThat(searches).as("no search fails, whatever is down").allSatisfy(observed ->
                assertThat(observed.status()).as(observed.answer().body()).isEqualTo(200));
        assertThat(ofKind("read")).as("a document read is served, or is a 503 with Retry-After while PostgreSQL is"
                + " away").allSatisfy(observed -> {
                    if (observed.status() != 200) {
                        assertThat(observed.phase()).isIn("postgres-down", "postgres-back");
                        assertThat(observed.unavailableWithRetryAfter()).as(observed.answer().body()).isTrue();
                    }
                });
        assertThat(ofKind("read").stream().filter(o -> o.phase().equals("postgres-down") && o.status() == 200))
                .as("cached documents are still served while PostgreSQL is down").isNotEmpty();
        assertThat(ofKind("write")).as("ingest answers 202 or 503 with Retry-After, nothing else")
                .allSatisfy(observed -> assertThat(observed.status() == 202 || observed.unavailableWithRetryAfter())
                        .as(observed.answer().body()).isTrue());
        assertThat(ofKind("write").stream().filter(o -> o.phase().equals("postgres-down") && o.status() == 202))
                .as("ingest keeps accepting while PostgreSQL is down: Kafka holds the commands").isNotEmpty();
        List<Observed> writesWhileKafkaDown = ofKind("write").stream()
                .filter(o -> o.phase().equals("kafka-down") && o.withinOutage()).toList();
        assertThat(writesWhileKafkaDown).as("writes sent and answered while the broker was down").isNotEmpty()
                .allSatisfy(observed -> assertThat(observed.unavailableWithRetryAfter())
                        .as("never 202 without Kafka: " + observed.answer().body()).isTrue());

        List<Observed> accepted = assertEveryAcceptedWriteIsIndexed();
        System.out.printf("dependency outages: %d writes accepted, all indexed at their versions, DLQ empty%n",
                accepted.size());
    }

    /**
     * The hang drill: PostgreSQL (the postmaster and every backend), then Redis, frozen with SIGSTOP for 20 s each
     * under the same traffic. No request waits longer than its bound ({@link #HANG_BOUND}), searches answer (from
     * the caches, or degraded), ingest answers 202 or 503 with Retry-After, and after SIGCONT every accepted write is
     * indexed at its version. The Kafka broker runs inside this JVM, so it cannot be frozen alone: it is not part of
     * this drill (the outage drill stops it).
     */
    @Test
    void frozenPostgresAndRedisAreBoundedWaitsAndNothingAcceptedIsLost() throws Exception {
        seed();
        underTraffic(() -> {
            freeze("postgres-frozen", postgresProcesses());
            recovered("postgres-thawed");
            freeze("redis-frozen", redisProcesses());
            recovered("redis-thawed");
        });
        report(List.of("before", "postgres-frozen", "postgres-thawed", "redis-frozen", "redis-thawed"));

        assertThat(answers).as("no request waits longer than its timeout + 1 s").allSatisfy(observed ->
                assertThat(Duration.ofNanos(observed.answer().endNanos() - observed.answer().startNanos()))
                        .as(observed.phase() + " " + observed.kind()).isLessThanOrEqualTo(HANG_BOUND.get(observed.kind())));
        assertThat(ofKind("search")).as("searches answer, from the caches or degraded").allSatisfy(observed ->
                assertThat(observed.status()).as(observed.answer().body()).isEqualTo(200));
        assertThat(ofKind("search").stream().filter(o -> o.phase().endsWith("-frozen") && o.withinOutage()))
                .as("searches were answered while a dependency was frozen").isNotEmpty();
        assertThat(ofKind("write")).as("ingest answers 202 or 503 with Retry-After, nothing else")
                .allSatisfy(observed -> assertThat(observed.status() == 202 || observed.unavailableWithRetryAfter())
                        .as(observed.answer().body()).isTrue());
        List<Observed> accepted = assertEveryAcceptedWriteIsIndexed();
        System.out.printf("hang drill: %d writes accepted, all indexed at their versions, DLQ empty%n",
                accepted.size());
    }

    /** The seeded documents indexed, read and searched once, so the caches hold them; the answers start empty. */
    private void seed() {
        answers.clear();
        phase.set("before");
        for (String document : SEEDED) {
            awaitIndexed(document, write(document, "seed").answer().json().path("version").asLong());
        }
        for (String document : SEEDED) {
            client.get(queryUrl + "/api/v1/documents/" + document);
        }
        for (String query : QUERIES) {
            client.search(queryUrl, "hybrid", query, 5);
        }
    }

    interface Faults {
        void run() throws Exception;
    }

    /** Runs {@code faults} under search, read and write traffic on three threads, after 30 answers before them. */
    private void underTraffic(Faults faults) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService traffic = Executors.newFixedThreadPool(3);
        List<Future<?>> workers = new ArrayList<>();
        workers.add(traffic.submit(() -> loop(running, this::searchOnce, READ_PAUSE)));
        workers.add(traffic.submit(() -> loop(running, this::readOnce, READ_PAUSE)));
        // Writes come slower: each is a new text for the model, and every accepted one is awaited at the end.
        workers.add(traffic.submit(() -> loop(running, this::writeOnce, WRITE_PAUSE)));
        try {
            awaitAnswers("before", 30);
            faults.run();
        } finally {
            running.set(false);
            traffic.shutdown();
        }
        for (Future<?> worker : workers) {
            worker.get(60, TimeUnit.SECONDS);
        }
    }

    /** The phase after a fault: once a write was accepted in it, and 30 answers came. */
    private void recovered(String name) {
        phase.set(name);
        awaitAcceptedWrite(name);
        awaitAnswers(name, 30);
    }

    /** Every write answered 202 ends up indexed and readable at its version, and the DLQ is empty. */
    private List<Observed> assertEveryAcceptedWriteIsIndexed() {
        List<Observed> accepted = ofKind("write").stream().filter(o -> o.status() == 202).toList();
        for (Observed write : accepted) {
            awaitIndexed(write.document(), write.answer().json().path("version").asLong());
        }
        for (Observed write : accepted) {
            Answer read = client.get(queryUrl + "/api/v1/documents/" + write.document());
            assertThat(read.status()).as(read.body()).isEqualTo(200);
            assertThat(read.json().path("version").asLong())
                    .isEqualTo(write.answer().json().path("version").asLong());
        }
        Answer deadLetters = client.get(ingestUrl + "/api/v1/admin/dlq");
        assertThat(deadLetters.status()).as(deadLetters.body()).isEqualTo(200);
        assertThat(deadLetters.json().path("total").asLong())
                .as("an unavailable dependency pauses the indexer; it never dead-letters a record").isZero();
        return accepted;
    }

    /** Stops {@code processes} with SIGSTOP for {@link #FREEZE}, then lets them go on with SIGCONT. */
    private void freeze(String name, List<ProcessHandle> processes) throws Exception {
        assertThat(processes).as(name + ": the processes to freeze").isNotEmpty();
        phase.set(name);
        signal("STOP", processes);
        outageStart = System.nanoTime();
        outageEnd = Long.MAX_VALUE;
        try {
            Thread.sleep(FREEZE.toMillis());
        } finally {
            outageEnd = System.nanoTime();
            signal("CONT", processes);
        }
    }

    private static void signal(String signal, List<ProcessHandle> processes) throws Exception {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        processes.forEach(process -> command.add(Long.toString(process.pid())));
        Process kill = new ProcessBuilder(command).inheritIO().start();
        assertThat(kill.waitFor()).as(String.join(" ", command)).isZero();
    }

    /** The postmaster (its pid is the first line of {@code postmaster.pid}) and every process it started. */
    private List<ProcessHandle> postgresProcesses() throws Exception {
        long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"))
                .getFirst().strip());
        ProcessHandle handle = ProcessHandle.of(postmaster).orElseThrow();
        List<ProcessHandle> processes = new ArrayList<>(List.of(handle));
        handle.descendants().forEach(processes::add);
        return processes;
    }

    /** The Redis server of this runtime: a child of this JVM working in the runtime's Redis directory. */
    private List<ProcessHandle> redisProcesses() throws Exception {
        Path directory = dataDir.resolve("redis").toRealPath();
        List<ProcessHandle> redis = ProcessHandle.current().descendants()
                .filter(process -> process.info().command().orElse("").contains("redis"))
                .toList();
        List<ProcessHandle> ours = redis.stream().filter(process -> directory.equals(workingDirectory(process)))
                .toList();
        assertThat(ours).as("Redis working in " + directory + " among " + redis.stream()
                .map(process -> process.pid() + " in " + workingDirectory(process)).toList()).hasSize(1);
        return ours;
    }

    private static Path workingDirectory(ProcessHandle process) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd"));
        } catch (IOException e) {
            return null;
        }
    }

    private void outage(String name, Runnable stop, Duration length, Runnable restart) throws InterruptedException {
        phase.set(name);
        stop.run();
        outageStart = System.nanoTime();
        outageEnd = Long.MAX_VALUE;
        Thread.sleep(length.toMillis());
        outageEnd = System.nanoTime();
        restart.run();
    }

    private static void loop(AtomicBoolean running, Runnable action, Duration pause) {
        while (running.get()) {
            action.run();
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void searchOnce() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String query = random.nextInt(4) == 0 ? "fresh question " + random.nextInt(1_000_000)
                : QUERIES.get(random.nextInt(QUERIES.size()));
        String mode = random.nextBoolean() ? "hybrid" : "keyword";
        record("search", null, () -> client.search(queryUrl, mode, query, 5));
    }

    private void readOnce() {
        String document = SEEDED.get(ThreadLocalRandom.current().nextInt(SEEDED.size()));
        record("read", document, () -> client.get(queryUrl + "/api/v1/documents/" + document));
    }

    private void writeOnce() {
        write("w-" + written.incrementAndGet(), phase.get());
    }

    private Observed write(String document, String note) {
        String body = "The " + document + " note written during " + note + " lives by the water.";
        return record("write", document, () -> client.put(ingestUrl + "/api/v1/documents/" + document,
                Map.of("title", document, "body", body)));
    }

    private Observed record(String kind, String document, Supplier<Answer> request) {
        String current = phase.get();
        Answer answer = request.get();
        boolean withinOutage = answer.startNanos() > outageStart && answer.endNanos() < outageEnd;
        Observed observed = new Observed(current, kind, document, answer, withinOutage);
        answers.add(observed);
        return observed;
    }

    /** One line per phase and kind: the fault table's "what users saw". */
    private void report(List<String> phases) {
        for (String name : phases) {
            for (String kind : List.of("search", "read", "write")) {
                List<Observed> observed = answersIn(name).stream().filter(o -> o.kind().equals(kind)).toList();
                System.out.printf("outage %-15s %-6s %4d answers, statuses %s, degraded %s, slowest %d ms%n", name,
                        kind, observed.size(), count(observed, o -> Integer.toString(o.status())),
                        count(observed.stream().filter(o -> o.answer().json() != null
                                && !o.answer().json().path("degraded").isEmpty()).toList(),
                                o -> o.answer().json().path("degraded").toString()),
                        observed.stream().mapToLong(o -> (o.answer().endNanos() - o.answer().startNanos()) / 1_000_000)
                                .max().orElse(0));
            }
        }
        answers.stream().filter(o -> o.status() >= 300)
                .map(o -> o.phase() + " " + o.kind() + " " + o.status() + " Retry-After "
                        + o.answer().headers().firstValue("Retry-After").orElse("-") + ": "
                        + (o.answer().json() != null ? o.answer().json().path("detail").asString() : o.answer().body()))
                .distinct()
                .forEach(line -> System.out.println("outage answer " + line));
    }

    private List<Observed> ofKind(String kind) {
        return answers.stream().filter(observed -> observed.kind().equals(kind)).toList();
    }

    private List<Observed> answersIn(String name) {
        return answers.stream().filter(observed -> observed.phase().equals(name)).toList();
    }

    private void awaitAnswers(String name, int count) {
        waiting().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> answersIn(name).size() >= count);
    }

    /** Recovered: a write sent in this phase was accepted (the one under way when it began may have failed). */
    private void awaitAcceptedWrite(String name) {
        waiting().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                answersIn(name).stream().anyMatch(o -> o.kind().equals("write") && o.status() == 202));
    }

    private void awaitIndexed(String document, long version) {
        waiting().atMost(CATCH_UP).pollInterval(Duration.ofMillis(200)).until(() -> {
            Answer answer = client.get(ingestUrl + "/api/v1/documents/" + document + "/status");
            if (answer.status() != 200) {
                return false;
            }
            JsonNode status = answer.json();
            assertThat(status.path("state").asString()).as(document).isNotEqualTo("failed");
            return status.path("indexedVersion").asLong(-1) >= version;
        });
    }

    /** Stream threads fail while a dependency is down (they are replaced and retry): only the condition counts. */
    private static ConditionFactory waiting() {
        return await().dontCatchUncaughtExceptions();
    }

    private static Map<String, Long> count(List<Observed> observed, Function<Observed, String> key) {
        return observed.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
    }
}
