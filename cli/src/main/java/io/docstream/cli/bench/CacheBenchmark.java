package io.docstream.cli.bench;

import io.docstream.cli.ServiceHttp;
import io.docstream.cli.ServiceHttp.Answer;
import io.docstream.cli.bench.BenchCommand.BenchException;
import io.docstream.cli.bench.BenchServices.Doc;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The cache scenario: loads the bundled corpus (ids {@code bench-*}), then runs a read-mostly workload
 * (searches whose queries follow a Zipf distribution, document reads, and a fraction of updates, each
 * followed until it is reported indexed) and measures which cache layer answered, how fast, and how long
 * invalidations took to reach query-api. Latencies are reported against anchors measured in the same run:
 * a Redis PING round trip and a bare HTTP round trip to the query API (its info endpoint).
 */
final class CacheBenchmark {

    static final String CORPUS = "/demo/corpus.jsonl";
    private static final String ID_PREFIX = "bench-";
    private static final int ANCHOR_SAMPLES = 300;
    private static final double ZIPF_EXPONENT = 1.0;
    private static final Duration INDEXING_TIMEOUT = Duration.ofMinutes(3);
    private static final String INVALIDATION_LAG = "docstream_cache_invalidation_lag_seconds";

    /**
     * The workload's options: it runs once per search-invalidation scheme and write fraction (each after a warm-up
     * that is not measured), on one corpus loaded once.
     */
    record Settings(Duration duration, int readers, List<Double> writeFractions, double documentReadFraction,
            String mode, int k, long seed, int documents, double checkFraction, List<String> schemes,
            Duration warmup) {

        Settings {
            writeFractions = List.copyOf(writeFractions);
            schemes = List.copyOf(schemes);
        }
    }

    /** A version the workload saw reported indexed, and when. */
    private record Indexed(long version, long atNanos) {
    }

    private static final String SCHEME_PATH = "/api/v1/admin/cache";
    private static final String REVALIDATIONS = "docstream_cache_search_revalidations_total";
    private static final String DEPENDENCIES = "docstream_cache_search_dependencies_bytes";

    private final Settings settings;
    private final BenchServices services;
    private final JsonMapper mapper;
    private final double writeFraction;

    private final Map<String, Latencies> searchByLayer = new ConcurrentHashMap<>();
    private final Latencies documentReads = new Latencies();
    private final Latencies writeToSearchable = new Latencies();
    private final LongAdder errors = new LongAdder();
    private final AtomicLong revisions;
    private final Map<String, Indexed> indexed;
    private final LongAdder checked = new LongAdder();
    private final LongAdder versionStale = new LongAdder();
    private final LongAdder setStale = new LongAdder();
    private final LongAdder setStaleBothSides = new LongAdder();

    CacheBenchmark(Settings settings, BenchServices services, JsonMapper mapper) {
        this(settings, services, mapper, settings.writeFractions().getFirst(), new AtomicLong(),
                new ConcurrentHashMap<>());
    }

    /** One phase of the workload; revisions and the versions seen indexed are shared by all phases. */
    private CacheBenchmark(Settings settings, BenchServices services, JsonMapper mapper, double writeFraction,
            AtomicLong revisions, Map<String, Indexed> indexed) {
        this.settings = settings;
        this.services = services;
        this.mapper = mapper;
        this.writeFraction = writeFraction;
        this.revisions = revisions;
        this.indexed = indexed;
    }

    /**
     * Runs the scenario and returns its report (printed as a table and saved as JSON): the first phase in full, and
     * every phase (scheme and write fraction) summarised.
     */
    CacheReport run() throws InterruptedException {
        services.out.println("Anchors: " + ANCHOR_SAMPLES + " Redis PINGs to " + services.redis + ", "
                + ANCHOR_SAMPLES + " GET /actuator/info ...");
        Latencies ping = redisPing();
        Latencies bare = bareHttp();

        List<Doc> corpus = corpus();
        services.out.println("Loading " + corpus.size() + " documents (" + ID_PREFIX + "*) ...");
        services.awaitIndexed(services.post(corpus), "indexed");
        List<String> queries = queries(corpus);

        CacheReport first = null;
        List<CacheReport.Phase> phases = new ArrayList<>();
        try {
            for (String scheme : settings.schemes()) {
                useScheme(scheme);
                for (double fraction : settings.writeFractions()) {
                    if (!settings.warmup().isZero()) {
                        services.out.printf(Locale.ROOT, "Warm-up (%s invalidation, %.0f%% writes, not measured):%n",
                                scheme, fraction * 100);
                        phase(fraction).workload(corpus, queries, settings.warmup());
                    }
                    CacheReport report = phase(fraction).measure(scheme, corpus, queries, ping, bare);
                    phases.add(CacheReport.Phase.of(scheme, report));
                    first = first == null ? report : first;
                }
            }
        } finally {
            useScheme(null);
        }
        return first.withPhases(CacheReport.Phase.againstNoWrites(phases));
    }

    private CacheBenchmark phase(double fraction) {
        return new CacheBenchmark(settings, services, mapper, fraction, revisions, indexed);
    }

    /**
     * Sets how changes reach the benchmark tenant's cached searches on the query API ({@code PUT /api/v1/admin/cache});
     * null restores the configured way.
     */
    private void useScheme(String scheme) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("searchInvalidation", scheme);
        Answer answer = services.query.exchange("PUT", SCHEME_PATH, body);
        if (answer.status() != 200) {
            throw new BenchException("could not set the search invalidation scheme to " + scheme + " (PUT " + SCHEME_PATH
                    + " answered " + answer.status() + "; the cache workload's key needs the admin scope)");
        }
    }

    /** One measured phase under {@code scheme}: the workload, and the query API's figures around it. */
    private CacheReport measure(String scheme, List<Doc> corpus, List<String> queries, Latencies ping, Latencies bare)
            throws InterruptedException {
        PrometheusSamples before = services.scrape(services.query);
        services.out.printf(Locale.ROOT, "Workload (%s invalidation): %d s, %d readers, %.0f%% writes, %.0f%% document"
                        + " reads, %s search k=%d over %d distinct queries (Zipf s=%.1f) ...%n", scheme,
                settings.duration().toSeconds(), settings.readers(), writeFraction * 100,
                settings.documentReadFraction() * 100, settings.mode(), settings.k(), queries.size(), ZIPF_EXPONENT);
        workload(corpus, queries, settings.duration());
        PrometheusSamples after = services.scrape(services.query);
        return new CacheReport(workload(corpus.size(), queries.size()),
                new CacheReport.Anchors(ping.summary(), bare.summary(), writeToSearchable.summary()), client(),
                freshness(), RedisValues.searchPages(services.redis),
                server(before, after), invalidationLag(before, after), ratios(ping, bare, before, after),
                revalidations(scheme, before, after), null);
    }

    /** Cached pages judged at a later generation during the phase, by outcome, and their dependencies' size. */
    private static CacheReport.Revalidations revalidations(String scheme, PrometheusSamples before,
            PrometheusSamples after) {
        Map<String, Long> outcomes = new LinkedHashMap<>();
        for (String outcome : List.of("kept", "patched", "moved", "expired", "unproven", "generation")) {
            Map<String, String> labels = Map.of("outcome", outcome);
            outcomes.put(outcome, Math.round(after.sum(REVALIDATIONS, labels) - before.sum(REVALIDATIONS, labels)));
        }
        double pages = after.sum(DEPENDENCIES + "_count", Map.of()) - before.sum(DEPENDENCIES + "_count", Map.of());
        double bytes = after.sum(DEPENDENCIES + "_sum", Map.of()) - before.sum(DEPENDENCIES + "_sum", Map.of());
        return new CacheReport.Revalidations(scheme, outcomes, Math.round(pages),
                pages == 0 ? null : round(bytes / pages));
    }

    private Latencies redisPing() {
        try {
            return RedisPing.measure(services.redis, ANCHOR_SAMPLES);
        } catch (IOException e) {
            services.out.println("  Redis anchor unavailable (" + e.getMessage() + "); ratios against it are left out.");
            return new Latencies();
        }
    }

    /** The query API's info endpoint: the same server and network path as a search, with no work behind it. */
    private Latencies bareHttp() {
        Latencies latencies = new Latencies();
        for (int i = 0; i < ANCHOR_SAMPLES + 20; i++) {
            Answer answer = services.query.exchange("/actuator/info");
            if (i >= 20 && answer.status() == 200) {
                latencies.record(answer.nanos());
            }
        }
        return latencies;
    }

    /** The bundled corpus, and beyond its size generated documents up to {@code --cache-documents}. */
    private List<Doc> corpus() {
        List<Doc> bundled = bundledCorpus();
        if (settings.documents() <= bundled.size()) {
            return bundled.subList(0, Math.max(1, settings.documents()));
        }
        List<Doc> documents = new ArrayList<>(bundled);
        documents.addAll(SyntheticCorpus.load(mapper).documents(ID_PREFIX + "gen-",
                settings.documents() - bundled.size(), "cache", settings.seed()));
        return List.copyOf(documents);
    }

    private List<Doc> bundledCorpus() {
        try (InputStream in = CacheBenchmark.class.getResourceAsStream(CORPUS)) {
            if (in == null) {
                throw new IllegalStateException("the corpus " + CORPUS + " is missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<Doc> documents = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    Doc doc = mapper.readValue(line, Doc.class);
                    documents.add(new Doc(ID_PREFIX + doc.id(), doc.title(), doc.body(),
                            doc.metadata() == null ? Map.of() : doc.metadata()));
                }
            }
            return List.copyOf(documents);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + CORPUS, e);
        }
    }

    /** Titles and the first words of each body: realistic queries, some sharing terms. */
    private List<String> queries(List<Doc> corpus) {
        List<String> queries = new ArrayList<>();
        for (Doc doc : corpus) {
            queries.add(doc.title().toLowerCase(Locale.ROOT));
            String[] words = doc.body().split("\\s+");
            queries.add(String.join(" ", List.of(words).subList(0, Math.min(6, words.length))));
        }
        Collections.shuffle(queries, new Random(settings.seed()));
        return List.copyOf(queries);
    }

    private void workload(List<Doc> corpus, List<String> queries, Duration duration) throws InterruptedException {
        double[] zipf = cumulativeZipf(queries.size());
        long started = System.nanoTime();
        long deadline = started + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(settings.readers());
        List<Future<?>> workers = new ArrayList<>();
        LongAdder operations = new LongAdder();
        for (int i = 0; i < settings.readers(); i++) {
            workers.add(pool.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < deadline) {
                    double dice = random.nextDouble();
                    if (dice < writeFraction) {
                        write(corpus.get(random.nextInt(corpus.size())));
                    } else if (dice < writeFraction + settings.documentReadFraction()) {
                        readDocument(corpus.get(random.nextInt(corpus.size())).id());
                    } else {
                        search(queries.get(pick(zipf, random.nextDouble())), random);
                    }
                    operations.increment();
                }
                return null;
            }));
        }
        pool.shutdown();
        long seconds = duration.toSeconds();
        while (!pool.awaitTermination(500, TimeUnit.MILLISECONDS)) {
            long elapsed = Math.min(seconds, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
            services.progress("s", elapsed, seconds, progressSuffix(operations.sum()));
        }
        services.progress("s", seconds, seconds, progressSuffix(operations.sum()));
        services.out.println();
        for (Future<?> worker : workers) {
            try {
                worker.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof BenchException bench) {
                    throw bench;
                }
                throw new IllegalStateException("a benchmark worker failed", e.getCause());
            }
        }
    }

    private String progressSuffix(long operations) {
        return String.format(Locale.ROOT, "  %d operations, search hit rate %.1f%%", operations, hitRate() * 100);
    }

    private void search(String query, ThreadLocalRandom random) {
        String path = "/api/v1/search?mode=" + settings.mode() + "&k=" + settings.k() + "&q=" + ServiceHttp.encode(query);
        // A checked search is evaluated fresh just before and just after it: see check.
        List<String> before = random.nextDouble() < settings.checkFraction() ? freshIds(path) : null;
        long sent = System.nanoTime();
        Answer answer = services.query.exchange(path);
        if (answer.status() != 200 || answer.json() == null) {
            errors.increment();
            return;
        }
        String layer = answer.json().path("cache").asString("unknown");
        searchByLayer.computeIfAbsent(layer, l -> new Latencies()).record(answer.nanos());
        if ((layer.equals("l1") || layer.equals("l2")) && before != null) {
            check(path, answer.json(), sent, before);
        }
    }

    /** The result ids of the search evaluated fresh ({@code Cache-Control: no-cache}); null if it did not answer whole. */
    private List<String> freshIds(String path) {
        Answer fresh = services.query.exchange("GET", path, null, Map.of("Cache-Control", "no-cache"));
        if (fresh.status() != 200 || fresh.json() == null || !fresh.json().path("degraded").isEmpty()) {
            return null;
        }
        return fresh.json().path("results").findValuesAsString("id");
    }

    /**
     * Compares a cached answer with the same search evaluated fresh right after it: a result older than a version the
     * workload saw indexed before it sent the cached request is version-stale; other result ids than the fresh
     * evaluation's make it set-stale. A set-stale answer that equals the fresh evaluation asked just before it was
     * correct a moment earlier (a concurrent change moved the fresh one); the rest are counted apart.
     */
    private void check(String path, JsonNode cached, long sent, List<String> before) {
        List<String> after = freshIds(path);
        if (after == null) {
            return;
        }
        checked.increment();
        List<String> cachedIds = new ArrayList<>();
        boolean stale = false;
        for (JsonNode result : cached.path("results")) {
            String id = result.path("id").asString();
            cachedIds.add(id);
            Indexed known = indexed.get(id);
            if (known != null && known.atNanos() < sent && result.path("version").asLong() < known.version()) {
                stale = true;
            }
        }
        if (stale) {
            versionStale.increment();
        }
        Set<String> ids = new HashSet<>(cachedIds);
        if (!ids.equals(new HashSet<>(after))) {
            setStale.increment();
            if (!ids.equals(new HashSet<>(before))) {
                setStaleBothSides.increment();
            }
        }
    }

    private CacheReport.Freshness freshness() {
        long all = checked.sum();
        return new CacheReport.Freshness(all, versionStale.sum(), setStale.sum(),
                all == 0 ? null : round((double) versionStale.sum() / all),
                all == 0 ? null : round((double) setStale.sum() / all), setStaleBothSides.sum(),
                all == 0 ? null : round((double) setStaleBothSides.sum() / all));
    }

    private void readDocument(String id) {
        Answer answer = services.query.exchange("/api/v1/documents/" + id);
        if (answer.status() != 200) {
            errors.increment();
            return;
        }
        documentReads.record(answer.nanos());
    }

    /** Updates a document and follows it until it is reported indexed: the write-to-searchable anchor. */
    private void write(Doc doc) {
        long revision = revisions.incrementAndGet();
        long start = System.nanoTime();
        Answer put = services.ingest.exchange("PUT", "/api/v1/documents/" + doc.id(),
                BenchServices.content(doc, doc.body() + " Benchmark revision " + revision + "."));
        if (put.status() != 202 || put.json() == null) {
            errors.increment();
            return;
        }
        long version = put.json().path("version").asLong(-1);
        long deadline = start + INDEXING_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (services.isIndexed(doc.id(), version)) {
                long now = System.nanoTime();
                writeToSearchable.record(now - start);
                indexed.merge(doc.id(), new Indexed(version, now), (a, b) -> a.version() >= b.version() ? a : b);
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        errors.increment();
    }

    private double hitRate() {
        long hits = count("l1") + count("l2");
        long all = searches();
        return all == 0 ? 0 : (double) hits / all;
    }

    private long searches() {
        return searchByLayer.values().stream().mapToLong(Latencies::count).sum();
    }

    private long count(String layer) {
        return layer(layer).count();
    }

    private Latencies layer(String layer) {
        return searchByLayer.getOrDefault(layer, new Latencies());
    }

    private static double[] cumulativeZipf(int n) {
        double[] cumulative = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += 1.0 / Math.pow(i + 1, ZIPF_EXPONENT);
            cumulative[i] = total;
        }
        for (int i = 0; i < n; i++) {
            cumulative[i] /= total;
        }
        return cumulative;
    }

    private static int pick(double[] cumulative, double uniform) {
        int index = Arrays.binarySearch(cumulative, uniform);
        return Math.min(cumulative.length - 1, index >= 0 ? index : -index - 1);
    }

    private CacheReport.Workload workload(int documents, int distinctQueries) {
        return new CacheReport.Workload(settings.duration().toSeconds(), settings.readers(), writeFraction,
                settings.documentReadFraction(), settings.mode(), settings.k(), documents, distinctQueries,
                ZIPF_EXPONENT);
    }

    private CacheReport.Client client() {
        long searches = searches();
        return new CacheReport.Client(searches, documentReads.count(), writeToSearchable.count(), errors.sum(),
                round(hitRate()), new CacheReport.SearchLayers(layerShare("l1", searches),
                        layerShare("l2", searches), layerShare("miss", searches)), documentReads.summary());
    }

    private CacheReport.Layer layerShare(String name, long searches) {
        Latencies.Summary latency = layer(name).summary();
        return new CacheReport.Layer(latency.count(), latency.p50Ms(), latency.p99Ms(),
                searches == 0 ? Double.valueOf(0) : round((double) count(name) / searches));
    }

    private static CacheReport.Server server(PrometheusSamples before, PrometheusSamples after) {
        return new CacheReport.Server(requests("search", before, after), requests("embedding", before, after),
                requests("document", before, after));
    }

    /** One cache's requests by layer during the workload, from the growth of the server's counter. */
    private static CacheReport.CacheRequests requests(String cache, PrometheusSamples before, PrometheusSamples after) {
        double l1 = growth("l1", cache, before, after);
        double l2 = growth("l2", cache, before, after);
        double origin = growth("origin", cache, before, after);
        double total = l1 + l2 + origin;
        return new CacheReport.CacheRequests(layerRequests(l1, total), layerRequests(l2, total),
                layerRequests(origin, total), total == 0 ? Double.valueOf(0) : round((l1 + l2) / total));
    }

    private static double growth(String layer, String cache, PrometheusSamples before, PrometheusSamples after) {
        Map<String, String> labels = Map.of("cache", cache, "layer", layer);
        return after.sum("docstream_cache_requests_total", labels) - before.sum("docstream_cache_requests_total", labels);
    }

    private static CacheReport.LayerRequests layerRequests(double requests, double total) {
        return new CacheReport.LayerRequests(Math.round(requests), total == 0 ? Double.valueOf(0) : round(requests / total));
    }

    private static CacheReport.InvalidationLag invalidationLag(PrometheusSamples before, PrometheusSamples after) {
        String name = INVALIDATION_LAG;
        double count = after.sum(name + "_count", Map.of()) - before.sum(name + "_count", Map.of());
        double sum = after.sum(name + "_sum", Map.of()) - before.sum(name + "_sum", Map.of());
        return new CacheReport.InvalidationLag(Math.round(count), round(count == 0 ? Double.NaN : sum / count * 1000),
                round(lagQuantile(before, after, name, 0.5) * 1000), round(lagQuantile(before, after, name, 0.99) * 1000),
                round(after.first(name + "_max", Map.of()) * 1000),
                "query-api /actuator/prometheus, " + name + ": p50/p99 from the histogram buckets' growth during the"
                        + " workload (or Micrometer's published percentiles when there are no buckets), count and"
                        + " mean over the workload, max over Micrometer's recent window");
    }

    /** Each layer's p50 over the anchors' p50, and the lag over the write-to-searchable p50. */
    private Map<String, Double> ratios(Latencies ping, Latencies bareHttp, PrometheusSamples before,
            PrometheusSamples after) {
        Map<String, Double> ratios = new LinkedHashMap<>();
        double pingP50 = ping.percentileMillis(50);
        double httpP50 = bareHttp.percentileMillis(50);
        for (String layer : List.of("l1", "l2", "miss")) {
            double layerP50 = layer(layer).percentileMillis(50);
            ratios.put("search_" + layer + "_p50_over_redis_ping_p50", round(layerP50 / pingP50));
            ratios.put("search_" + layer + "_p50_over_http_info_p50", round(layerP50 / httpP50));
        }
        ratios.put("search_miss_p50_over_l1_p50",
                round(layer("miss").percentileMillis(50) / layer("l1").percentileMillis(50)));
        double lagP50 = lagQuantile(before, after, INVALIDATION_LAG, 0.5);
        ratios.put("invalidation_lag_p50_over_write_to_searchable_p50",
                round(lagP50 * 1000 / writeToSearchable.percentileMillis(50)));
        return ratios;
    }

    /** In seconds: from the histogram's growth during the run, else a published percentile gauge. */
    static double lagQuantile(PrometheusSamples before, PrometheusSamples after, String name, double q) {
        double fromBuckets = after.histogramQuantile(before, name, q);
        if (!Double.isNaN(fromBuckets)) {
            return fromBuckets;
        }
        String quantile = Double.toString(q);
        double published = after.first(name, Map.of("quantile", quantile));
        return Double.isNaN(published) ? after.first(name + "_percentile", Map.of("quantile", quantile)) : published;
    }

    private static Double round(double value) {
        return BenchFigures.round(value);
    }
}
