package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.cli.ApiClient.Answer;
import io.docstream.cli.run.EmbeddedRuntime;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Redis killed under live traffic and started again: searches and document reads on two query API replicas
 * keep answering (from L1 and the origin, marked degraded), nothing becomes "indexed" before its cache
 * eviction could run, and once Redis is back the replicas share results through L2 again, without a restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedCacheRuntime.Resolver.class)
class RedisOutageIntegrationTests {

    private static final Duration INDEXING_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> DOCUMENTS = List.of("walrus", "heron", "lynx");
    private static final List<String> QUERIES = List.of("arctic animal", "river bird", "forest cat", "walrus");
    /** An answer slower than this during the outage would mean requests wait on Redis instead of failing fast. */
    private static final Duration SLOWEST_ACCEPTABLE = Duration.ofSeconds(3);

    private EmbeddedRuntime runtime;
    private ApiClient client;
    private String ingestUrl;
    private List<String> queryUrls;

    private final AtomicReference<String> phase = new AtomicReference<>("before");
    private final Queue<Observed> answers = new ConcurrentLinkedQueue<>();

    record Observed(String phase, String kind, Answer answer) {

        String cache() {
            return answer.cache();
        }

        /** The {@code degraded} field of a search, the {@code Docstream-Degraded} header of a document read. */
        boolean degradedCache() {
            if (answer.json() != null && answer.json().has("degraded")) {
                return StreamSupport.stream(answer.json().path("degraded").spliterator(), false)
                        .anyMatch(part -> part.asString().equals("cache"));
            }
            return answer.headers().allValues("Docstream-Degraded").stream()
                    .anyMatch(value -> List.of(value.split("\\s*,\\s*")).contains("cache"));
        }

        long millis() {
            return TimeUnit.NANOSECONDS.toMillis(answer.endNanos() - answer.startNanos());
        }
    }

    @BeforeAll
    void useSharedRuntime(SharedCacheRuntime shared) {
        runtime = shared.runtime();
        ingestUrl = shared.ingestUrl();
        queryUrls = shared.queryUrls();
        client = new ApiClient(shared.apiKey());
    }

    @Test
    void readsKeepAnsweringWhileRedisIsDownAndTheReplicasShareL2AgainOnceItIsBack() throws Exception {
        for (String document : DOCUMENTS) {
            awaitIndexed(document, put(document, 1));
        }
        ExecutorService traffic = Executors.newFixedThreadPool(3);
        AtomicInteger running = new AtomicInteger(1);
        List<Future<?>> readers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            readers.add(traffic.submit(() -> {
                while (running.get() == 1) {
                    readOnce();
                }
                return null;
            }));
        }
        try {
            awaitAnswers("before", 100);

            phase.set("outage");
            runtime.killRedis();
            long writtenDuringOutage = put("walrus", 2);
            awaitAnswers("outage", 200);
            assertThat(answersIn("outage").stream().anyMatch(Observed::degradedCache))
                    .as("searches during the outage say the cache was degraded").isTrue();
            for (int i = 0; i < 4; i++) {
                Answer fresh = client.search(queryUrls.get(i % 2), "keyword", "sea ice outage " + i, 5);
                Observed observed = new Observed("outage", "search", fresh);
                answers.add(observed);
                assertThat(observed.cache()).as("a new query during the outage is computed at the origin")
                        .isEqualTo("miss");
                assertThat(observed.degradedCache()).isTrue();
            }
            assertThat(status("walrus").path("state").asString())
                    .as("a version cannot be reported indexed while its cache eviction cannot run")
                    .isNotEqualTo("indexed");

            runtime.restartRedis();
            phase.set("after");
            awaitIndexed("walrus", writtenDuringOutage);
            AtomicInteger fresh = new AtomicInteger();
            waiting().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                String query = "walrus tusks " + fresh.incrementAndGet();
                Answer first = client.search(queryUrls.get(0), "keyword", query, 5);
                Answer second = client.search(queryUrls.get(1), "keyword", query, 5);
                answers.add(new Observed("after", "search", first));
                answers.add(new Observed("after", "search", second));
                return "l2".equals(new Observed("after", "search", second).cache());
            });
            awaitAnswers("after", 100);
        } finally {
            running.set(0);
            traffic.shutdown();
        }
        for (Future<?> reader : readers) {
            reader.get(30, TimeUnit.SECONDS);
        }
        traffic.awaitTermination(30, TimeUnit.SECONDS);

        for (String name : List.of("before", "outage", "after")) {
            List<Observed> inPhase = answersIn(name);
            System.out.printf("redis outage, phase %s: %d answers, statuses %s, cache layers %s,"
                            + " degraded %d, slowest %d ms%n", name, inPhase.size(),
                    count(inPhase, o -> Integer.toString(o.answer().status())),
                    count(inPhase.stream().filter(o -> o.cache() != null).toList(), o -> o.kind() + ":" + o.cache()),
                    inPhase.stream().filter(Observed::degradedCache).count(),
                    inPhase.stream().mapToLong(Observed::millis).max().orElse(0));
        }
        assertThat(answers).as("no 5xx, and every read answered 200")
                .allSatisfy(observed -> assertThat(observed.answer().status()).as(observed.answer().body())
                        .isEqualTo(200));
        assertThat(answersIn("outage")).as("answers during the outage fail fast past Redis")
                .allSatisfy(observed -> assertThat(observed.millis()).isLessThan(SLOWEST_ACCEPTABLE.toMillis()));
    }

    private void readOnce() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String base = queryUrls.get(random.nextInt(queryUrls.size()));
        String current = phase.get();
        if (random.nextInt(3) == 0) {
            String document = DOCUMENTS.get(random.nextInt(DOCUMENTS.size()));
            answers.add(new Observed(current, "document", client.get(base + "/api/v1/documents/" + document)));
        } else {
            String mode = random.nextBoolean() ? "keyword" : "hybrid";
            String query = QUERIES.get(random.nextInt(QUERIES.size()));
            answers.add(new Observed(current, "search", client.search(base, mode, query, 5)));
        }
    }

    /**
     * Awaitility fails on an uncaught exception in any thread by default; here the invalidator's stream thread
     * is expected to fail while Redis is down (it is replaced and retries), so only the condition counts.
     */
    private static ConditionFactory waiting() {
        return await().dontCatchUncaughtExceptions();
    }

    private List<Observed> answersIn(String name) {
        return answers.stream().filter(observed -> observed.phase().equals(name)).toList();
    }

    private void awaitAnswers(String name, int count) {
        waiting().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> answersIn(name).size() >= count);
    }

    private static Map<String, Long> count(List<Observed> observed,
            Function<Observed, String> key) {
        return observed.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
    }

    private long put(String document, long version) {
        String text = switch (document) {
            case "walrus" -> "The walrus is a large arctic animal with long tusks, hauling out on sea ice.";
            case "heron" -> "The grey heron is a river bird that stands still in shallow water to spear fish.";
            default -> "The lynx is a forest cat with tufted ears that hunts hares in deep snow.";
        };
        Answer answer = client.put(ingestUrl + "/api/v1/documents/" + document,
                Map.of("title", document, "body", text + " Revision " + version + ".", "version", version));
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        return version;
    }

    private JsonNode status(String document) {
        Answer answer = client.get(ingestUrl + "/api/v1/documents/" + document + "/status");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private void awaitIndexed(String document, long version) {
        waiting().atMost(INDEXING_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode status = status(document);
            assertThat(status.path("state").asString()).isNotEqualTo("failed");
            return "indexed".equals(status.path("state").asString())
                    && status.path("indexedVersion").asLong(-1) >= version;
        });
    }
}
