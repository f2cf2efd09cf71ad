package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.cli.ApiClient.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The consistency model through every cache layer, measured from outside: writers replace a few documents with
 * ever newer versions (each body carries the word {@code v<version>}) and note when the status endpoint
 * first reports each version indexed; readers meanwhile search and read those documents on two query API
 * replicas (shared Redis, separate L1). Every operation is recorded with its real start and end. Half the reads
 * belong to the writers' session: they carry the consistency tokens of every version seen indexed so far, and
 * afterwards none that started after a version was seen indexed may show an older version, whichever layer
 * answered it (read-your-writes). The other half carry no token: they may trail by the invalidation lag, and
 * none may trail by more than {@link #STALENESS_BOUND} (bounded staleness).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedCacheRuntime.Resolver.class)
class ConsistencyIntegrationTests {

    private static final int DOCUMENTS = 4;
    private static final int READERS = 6;
    private static final Duration RUN = Duration.ofSeconds(30);
    private static final Duration INDEXING_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STATUS_POLL = Duration.ofMillis(20);
    private static final String SHARED_WORD = "quokka";
    private static final String HYBRID_QUERY = "quokka revision notes";
    /** How far a read without a token may trail a version seen indexed (the invalidation lag, with room for CI). */
    private static final Duration STALENESS_BOUND = Duration.ofSeconds(3);

    private ApiClient client;
    private List<String> ingestUrls;
    private List<String> queryUrls;

    private final AtomicLong versions = new AtomicLong();
    private final Queue<Write> writes = new ConcurrentLinkedQueue<>();
    private final Queue<Read> reads = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicLong> latestObserved = new ConcurrentHashMap<>();
    /** The consistency token the 202 answer gave for each version written. */
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    /** One acknowledged write: its PUT and the end of the first status answer reporting it indexed. */
    record Write(String document, long version, long putStart, long putEnd, long observedIndexed) {
    }

    /**
     * One read: which versions of which documents it showed, and for a token search the document the token
     * belongs to (which must be among the results while no newer version of it had been sent).
     */
    record Read(String kind, String instance, long start, long end, int status, String cache,
            Map<String, Long> seen, String tokenDocument, long tokenVersion, boolean session) {
    }

    @BeforeAll
    void useSharedRuntime(SharedCacheRuntime shared) {
        ingestUrls = shared.ingestUrls();
        queryUrls = shared.queryUrls();
        client = new ApiClient(shared.apiKey());
    }

    @Test
    void noReadStartedAfterAVersionWasReportedIndexedShowsAnOlderVersionFromAnyCacheLayer() throws Exception {
        List<String> documents = IntStream.range(0, DOCUMENTS).mapToObj(i -> "doc-" + i).toList();
        for (String document : documents) {
            write(document);
        }

        long deadline = System.nanoTime() + RUN.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(DOCUMENTS + READERS);
        List<Future<?>> workers = new ArrayList<>();
        try {
            for (String document : documents) {
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        write(document);
                        pause(ThreadLocalRandom.current().nextInt(50, 250));
                    }
                    return null;
                }));
            }
            for (int i = 0; i < READERS; i++) {
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        read(documents);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(RUN.toSeconds() + INDEXING_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        Map<String, Long> searchLayers = layers(reads.stream().filter(read -> !read.kind().equals("document")));
        Map<String, Long> documentReadLayers = layers(reads.stream().filter(read -> read.kind().equals("document")));
        List<String> violations = violations(true);
        List<String> stale = violations(false);
        long sessionReads = reads.stream().filter(Read::session).count();
        System.out.printf("consistency: %d reads with tokens, %d without; %d of those trailed a version seen indexed"
                        + " (longest by %d ms, bound %d ms)%n", sessionReads, reads.size() - sessionReads, stale.size(),
                maxStalenessMillis, STALENESS_BOUND.toMillis());
        System.out.printf("consistency: %d operations (%d writes observed indexed, %d reads: %d searches, %d document"
                        + " reads) in %d s on %d query-api replicas; search answers by cache layer %s; document reads"
                        + " by cache layer %s; violations %d%n",
                writes.size() + reads.size(), writes.size(), reads.size(),
                searchLayers.values().stream().mapToLong(Long::longValue).sum(),
                documentReadLayers.values().stream().mapToLong(Long::longValue).sum(), RUN.toSeconds(),
                queryUrls.size(), searchLayers, documentReadLayers, violations.size());
        violations.stream().limit(20).forEach(violation -> System.out.println("  violation: " + violation));

        assertThat(reads).as("every read answers 200").allSatisfy(read -> assertThat(read.status()).isEqualTo(200));
        assertThat(violations).as("reads with tokens showing a version older than one already reported indexed")
                .isEmpty();
        assertThat(maxStalenessMillis).as("the longest a read without a token trailed a version seen indexed, ms")
                .isLessThanOrEqualTo(STALENESS_BOUND.toMillis());
        assertThat(sessionReads).as("reads with tokens").isGreaterThan(reads.size() / 4);
        assertThat(writes.size() + reads.size()).as("operations").isGreaterThanOrEqualTo(2000);
        assertThat(writes.size()).as("versions written and observed indexed").isGreaterThanOrEqualTo(5 * DOCUMENTS);
        assertThat(searchLayers).as("search answers by cache layer: the run must exercise every layer")
                .containsKeys("l1", "l2", "miss");
        assertThat(documentReadLayers).as("document reads by cache layer: the run must exercise every layer")
                .containsKeys("l1", "l2", "miss");
    }

    /** PUTs the next version of the document and waits until the status endpoint reports it indexed. */
    private void write(String document) {
        long version = versions.incrementAndGet();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", "Consistency probe " + document);
        body.put("body", "A probe document named " + document + " about the " + SHARED_WORD
                + ", rewritten again and again. This revision carries the token v" + version + " and nothing else.");
        body.put("version", version);
        // Writes alternate between the two ingest replicas; the status is asked of the other one.
        String ingestUrl = ingestUrls.get((int) (version % 2));
        String statusUrl = ingestUrls.get((int) ((version + 1) % 2));
        Answer put = client.put(ingestUrl + "/api/v1/documents/" + document, body);
        assertThat(put.status()).as(put.body()).isEqualTo(202);
        assertThat(put.json().path("consistencyToken").asString()).isEqualTo(document + "@" + version);
        tokens.put(document + "@" + version, put.json().path("consistencyToken").asString());
        long giveUp = System.nanoTime() + INDEXING_TIMEOUT.toNanos();
        while (true) {
            Answer status = client.get(statusUrl + "/api/v1/documents/" + document + "/status");
            assertThat(status.status()).as(status.body()).isEqualTo(200);
            String state = status.json().path("state").asString();
            assertThat(state).as("state of %s v%d", document, version).isNotEqualTo("failed");
            if ("indexed".equals(state) && status.json().path("indexedVersion").asLong(-1) >= version) {
                writes.add(new Write(document, version, put.startNanos(), put.endNanos(), status.endNanos()));
                latestObserved.computeIfAbsent(document, d -> new AtomicLong()).accumulateAndGet(version, Math::max);
                return;
            }
            assertThat(System.nanoTime()).as("%s v%d indexed within %s", document, version, INDEXING_TIMEOUT)
                    .isLessThan(giveUp);
            pause(STATUS_POLL.toMillis());
        }
    }

    /** One random read on a random replica: a document, the shared word, a hybrid query or a version token. */
    private void read(List<String> documents) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int instance = random.nextInt(queryUrls.size());
        String base = queryUrls.get(instance);
        String name = "query-api-" + (instance + 1);
        String document = documents.get(random.nextInt(documents.size()));
        // The session's tokens: every version seen indexed so far, as the 202 answers gave them.
        String session = random.nextBoolean() ? latestObserved.entrySet().stream()
                .map(entry -> tokens.get(entry.getKey() + "@" + entry.getValue().get()))
                .collect(Collectors.joining(",")) : null;
        int choice = random.nextInt(10);
        if (choice < 3) {
            Answer answer = client.get(base + "/api/v1/documents/" + document, session);
            Map<String, Long> seen = answer.status() == 200
                    ? Map.of(document, answer.json().path("version").asLong(-1)) : Map.of();
            reads.add(new Read("document", name, answer.startNanos(), answer.endNanos(), answer.status(),
                    answer.cache(), seen, null, 0, session != null));
        } else if (choice < 6) {
            reads.add(search("keyword", name, base, SHARED_WORD, null, 0, session));
        } else if (choice < 8) {
            reads.add(search("hybrid", name, base, HYBRID_QUERY, null, 0, session));
        } else {
            long version = latestObserved.get(document).get();
            reads.add(search("keyword", name, base, "v" + version, document, version, session));
        }
    }

    private Read search(String mode, String instance, String base, String query, String tokenDocument,
            long tokenVersion, String session) {
        Answer answer = client.search(base, mode, query, 10, session);
        Map<String, Long> seen = new LinkedHashMap<>();
        if (answer.status() == 200) {
            for (JsonNode hit : answer.json().path("results")) {
                seen.put(hit.path("id").asString(), hit.path("version").asLong(-1));
            }
        }
        return new Read(mode + (tokenDocument == null ? "" : "-token"), instance, answer.startNanos(),
                answer.endNanos(), answer.status(), answer.cache(), seen, tokenDocument, tokenVersion,
                session != null);
    }

    private volatile long maxStalenessMillis;

    /**
     * Reads of the session ({@code session} true) showing a version older than one seen indexed before they started;
     * or reads without tokens doing so, recording by how much the longest trailed.
     */
    private List<String> violations(boolean session) {
        Map<String, List<Write>> byDocument = writes.stream().collect(Collectors.groupingBy(Write::document));
        List<String> violations = new ArrayList<>();
        for (Read read : reads) {
            if (read.session() != session) {
                continue;
            }
            read.seen().forEach((document, version) -> {
                List<Write> newer = byDocument.getOrDefault(document, List.of()).stream()
                        .filter(write -> write.observedIndexed() < read.start() && write.version() > version)
                        .toList();
                if (!newer.isEmpty()) {
                    long required = newer.stream().mapToLong(Write::version).max().orElseThrow();
                    long firstSeen = newer.stream().mapToLong(Write::observedIndexed).min().orElseThrow();
                    if (!session) {
                        maxStalenessMillis = Math.max(maxStalenessMillis,
                                TimeUnit.NANOSECONDS.toMillis(read.start() - firstSeen));
                    }
                    violations.add(describe(read) + " showed " + document + " v" + version + " after v" + required
                            + " was reported indexed");
                }
            });
            if (!session) {
                continue;
            }
            if (read.tokenDocument() != null && mustFindToken(read, byDocument.get(read.tokenDocument()))
                    && !read.seen().containsKey(read.tokenDocument())) {
                violations.add(describe(read) + " did not find " + read.tokenDocument() + " by its token v"
                        + read.tokenVersion() + " although that version was indexed and no newer one sent");
            }
        }
        return violations;
    }

    /** The token's version was seen indexed before the read started, and no newer PUT began before it ended. */
    private static boolean mustFindToken(Read read, List<Write> writesOfDocument) {
        boolean indexedBefore = writesOfDocument.stream().anyMatch(write -> write.version() == read.tokenVersion()
                && write.observedIndexed() < read.start());
        boolean newerSent = writesOfDocument.stream().anyMatch(write -> write.version() > read.tokenVersion()
                && write.putStart() < read.end());
        return indexedBefore && !newerSent;
    }

    private String describe(Read read) {
        return read.kind() + " on " + read.instance() + " (cache " + read.cache() + ", took "
                + TimeUnit.NANOSECONDS.toMillis(read.end() - read.start()) + " ms)";
    }

    private static Map<String, Long> layers(Stream<Read> reads) {
        return reads.collect(Collectors.groupingBy(read -> String.valueOf(read.cache()), TreeMap::new,
                Collectors.counting()));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
