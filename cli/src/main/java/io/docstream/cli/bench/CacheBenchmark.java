package io.docstream.cli.bench;

import io.docstream.cli.bench.BenchHttp.BenchException;
import io.docstream.cli.bench.BenchHttp.Timed;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
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
    private static final List<String> LAYERS = List.of("l1", "l2", "origin");
    private static final List<String> CACHES = List.of("search", "embedding", "document");

    record Settings(String ingestUrl, String queryUrl, URI redis, Duration duration, int readers,
            double writeFraction, double documentReadFraction, String mode, int k, long seed) {
    }

    private record Doc(String id, String title, String body, Map<String, String> metadata) {
    }

    private final Settings settings;
    private final BenchHttp http;
    private final JsonMapper mapper;
    private final PrintStream out;

    private final Map<String, Latencies> searchByLayer = new ConcurrentHashMap<>();
    private final Latencies documentReads = new Latencies();
    private final Latencies writeToSearchable = new Latencies();
    private final LongAdder errors = new LongAdder();
    private final AtomicLong revisions = new AtomicLong();

    CacheBenchmark(Settings settings, BenchHttp http, JsonMapper mapper, PrintStream out) {
        this.settings = settings;
        this.http = http;
        this.mapper = mapper;
        this.out = out;
    }

    /** Runs the scenario and returns the report as nested maps (printed as a table and saved as JSON). */
    Map<String, Object> run() throws InterruptedException {
        requireUp();
        out.println("Anchors: " + ANCHOR_SAMPLES + " Redis PINGs to " + settings.redis() + ", "
                + ANCHOR_SAMPLES + " GET /actuator/info ...");
        Latencies ping = redisPing();
        Latencies bare = bareHttp();

        List<Doc> corpus = corpus();
        out.println("Loading " + corpus.size() + " documents (" + ID_PREFIX + "*) ...");
        load(corpus);
        List<String> queries = queries(corpus);

        PrometheusSamples before = scrape();
        out.printf(Locale.ROOT, "Workload: %d s, %d readers, %.0f%% writes, %.0f%% document reads, %s search k=%d over"
                        + " %d distinct queries (Zipf s=%.1f) ...%n", settings.duration().toSeconds(),
                settings.readers(), settings.writeFraction() * 100, settings.documentReadFraction() * 100,
                settings.mode(), settings.k(), queries.size(), ZIPF_EXPONENT);
        workload(corpus, queries);
        PrometheusSamples after = scrape();
        return report(ping, bare, before, after, corpus.size(), queries.size());
    }

    private void requireUp() {
        Timed health = http.get(settings.queryUrl() + "/actuator/health");
        if (health.status() != 200) {
            throw new BenchException("query-api health answered " + health.status() + ": " + health.body());
        }
    }

    private Latencies redisPing() {
        try {
            return RedisPing.measure(settings.redis(), ANCHOR_SAMPLES);
        } catch (IOException e) {
            out.println("  Redis anchor unavailable (" + e.getMessage() + "); ratios against it are left out.");
            return new Latencies();
        }
    }

    /** The query API's info endpoint: the same server and network path as a search, with no work behind it. */
    private Latencies bareHttp() {
        Latencies latencies = new Latencies();
        for (int i = 0; i < ANCHOR_SAMPLES + 20; i++) {
            Timed answer = http.get(settings.queryUrl() + "/actuator/info");
            if (i >= 20 && answer.status() == 200) {
                latencies.record(answer.nanos());
            }
        }
        return latencies;
    }

    private List<Doc> corpus() {
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

    private void load(List<Doc> corpus) throws InterruptedException {
        Map<String, Long> versions = new LinkedHashMap<>();
        for (int from = 0; from < corpus.size(); from += 20) {
            List<Doc> batch = corpus.subList(from, Math.min(from + 20, corpus.size()));
            Timed answer = http.sendJson("POST", settings.ingestUrl() + "/api/v1/documents:batch", batch);
            if (answer.status() != 202) {
                throw new BenchException("POST /api/v1/documents:batch answered " + answer.status() + ": "
                        + answer.body());
            }
            JsonNode entries = answer.json().isArray() ? answer.json() : answer.json().path("documents");
            for (JsonNode entry : entries) {
                versions.put(entry.path("id").asString(), entry.path("version").asLong(-1));
            }
        }
        Map<String, Long> pending = new LinkedHashMap<>(versions);
        long deadline = System.nanoTime() + INDEXING_TIMEOUT.toNanos();
        while (!pending.isEmpty()) {
            pending.entrySet().removeIf(entry -> isSearchable(entry.getKey(), entry.getValue()));
            progress("indexed", versions.size() - pending.size(), versions.size(), "");
            if (System.nanoTime() > deadline) {
                throw new BenchException(pending.size() + " documents were not indexed within "
                        + INDEXING_TIMEOUT.toMinutes() + " min");
            }
            if (!pending.isEmpty()) {
                Thread.sleep(200);
            }
        }
        out.println();
    }

    private boolean isSearchable(String id, long version) {
        Timed status = http.get(settings.ingestUrl() + "/api/v1/documents/" + id + "/status");
        if (status.status() != 200) {
            return false;
        }
        String state = status.json().path("state").asString("");
        if ("failed".equals(state)) {
            throw new BenchException("document " + id + " failed to index: " + status.json().path("error").asString(""));
        }
        return "indexed".equals(state) && status.json().path("indexedVersion").asLong(-1) >= version;
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

    private void workload(List<Doc> corpus, List<String> queries) throws InterruptedException {
        double[] zipf = cumulativeZipf(queries.size());
        long started = System.nanoTime();
        long deadline = started + settings.duration().toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(settings.readers());
        List<Future<?>> workers = new ArrayList<>();
        LongAdder operations = new LongAdder();
        for (int i = 0; i < settings.readers(); i++) {
            workers.add(pool.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < deadline) {
                    double dice = random.nextDouble();
                    if (dice < settings.writeFraction()) {
                        write(corpus.get(random.nextInt(corpus.size())));
                    } else if (dice < settings.writeFraction() + settings.documentReadFraction()) {
                        readDocument(corpus.get(random.nextInt(corpus.size())).id());
                    } else {
                        search(queries.get(pick(zipf, random.nextDouble())));
                    }
                    operations.increment();
                }
                return null;
            }));
        }
        pool.shutdown();
        while (!pool.awaitTermination(500, TimeUnit.MILLISECONDS)) {
            long elapsed = Math.min(settings.duration().toSeconds(),
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
            progress("s", (int) elapsed, (int) settings.duration().toSeconds(),
                    String.format(Locale.ROOT, "  %d operations, search hit rate %.1f%%", operations.sum(),
                            hitRate() * 100));
        }
        progress("s", (int) settings.duration().toSeconds(), (int) settings.duration().toSeconds(),
                String.format(Locale.ROOT, "  %d operations, search hit rate %.1f%%", operations.sum(), hitRate() * 100));
        out.println();
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

    private void search(String query) {
        Timed answer = http.get(settings.queryUrl() + "/api/v1/search?mode=" + settings.mode() + "&k=" + settings.k()
                + "&q=" + BenchHttp.encode(query));
        if (answer.status() != 200) {
            errors.increment();
            return;
        }
        String layer = answer.json().path("cache").asString("unknown");
        searchByLayer.computeIfAbsent(layer, l -> new Latencies()).record(answer.nanos());
    }

    private void readDocument(String id) {
        Timed answer = http.get(settings.queryUrl() + "/api/v1/documents/" + id);
        if (answer.status() != 200) {
            errors.increment();
            return;
        }
        documentReads.record(answer.nanos());
    }

    /** Updates a document and follows it until it is reported indexed: the write-to-searchable anchor. */
    private void write(Doc doc) {
        long revision = revisions.incrementAndGet();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", doc.title());
        body.put("body", doc.body() + " Benchmark revision " + revision + ".");
        body.put("metadata", doc.metadata());
        long start = System.nanoTime();
        Timed put = http.sendJson("PUT", settings.ingestUrl() + "/api/v1/documents/" + doc.id(), body);
        if (put.status() != 202) {
            errors.increment();
            return;
        }
        long version = put.json().path("version").asLong(-1);
        long deadline = start + INDEXING_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (isSearchable(doc.id(), version)) {
                writeToSearchable.record(System.nanoTime() - start);
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
        long all = searchByLayer.values().stream().mapToLong(Latencies::count).sum();
        return all == 0 ? 0 : (double) hits / all;
    }

    private long count(String layer) {
        Latencies latencies = searchByLayer.get(layer);
        return latencies == null ? 0 : latencies.count();
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

    private PrometheusSamples scrape() {
        Timed answer = http.get(settings.queryUrl() + "/actuator/prometheus");
        if (answer.status() != 200) {
            out.println("  /actuator/prometheus answered " + answer.status() + "; server-side figures are left out.");
            return PrometheusSamples.parse("");
        }
        return PrometheusSamples.parse(answer.body());
    }

    private void progress(String unit, int done, int total, String suffix) {
        int width = 30;
        int filled = total == 0 ? width : Math.min(width, done * width / total);
        out.print("\r[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total + " " + unit
                + suffix);
        out.flush();
    }

    private Map<String, Object> report(Latencies ping, Latencies bareHttp, PrometheusSamples before,
            PrometheusSamples after, int documents, int distinctQueries) {
        Map<String, Object> report = new LinkedHashMap<>();
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("queryUrl", settings.queryUrl());
        setup.put("ingestUrl", settings.ingestUrl());
        setup.put("redis", settings.redis().toString());
        setup.put("durationSeconds", settings.duration().toSeconds());
        setup.put("readers", settings.readers());
        setup.put("writeFraction", settings.writeFraction());
        setup.put("documentReadFraction", settings.documentReadFraction());
        setup.put("mode", settings.mode());
        setup.put("k", settings.k());
        setup.put("documents", documents);
        setup.put("distinctQueries", distinctQueries);
        setup.put("zipfExponent", ZIPF_EXPONENT);
        report.put("setup", setup);

        Map<String, Object> anchors = new LinkedHashMap<>();
        anchors.put("redisPing", latency(ping));
        anchors.put("httpInfo", latency(bareHttp));
        anchors.put("writeToSearchable", latency(writeToSearchable));
        report.put("anchors", anchors);

        long searches = searchByLayer.values().stream().mapToLong(Latencies::count).sum();
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("searches", searches);
        client.put("documentReads", documentReads.count());
        client.put("writes", writeToSearchable.count());
        client.put("errors", errors.sum());
        client.put("hitRate", round(hitRate()));
        Map<String, Object> layers = new LinkedHashMap<>();
        for (String layer : List.of("l1", "l2", "miss")) {
            Map<String, Object> entry = new LinkedHashMap<>(latency(searchByLayer.getOrDefault(layer, new Latencies())));
            entry.put("share", searches == 0 ? 0 : round((double) count(layer) / searches));
            layers.put(layer, entry);
        }
        client.put("searchByLayer", layers);
        client.put("documentRead", latency(documentReads));
        report.put("client", client);

        Map<String, Object> server = new LinkedHashMap<>();
        for (String cache : CACHES) {
            Map<String, Object> byLayer = new LinkedHashMap<>();
            double total = 0;
            Map<String, Double> deltas = new LinkedHashMap<>();
            for (String layer : LAYERS) {
                Map<String, String> labels = Map.of("cache", cache, "layer", layer);
                double delta = after.sum("docstream_cache_requests_total", labels)
                        - before.sum("docstream_cache_requests_total", labels);
                deltas.put(layer, delta);
                total += delta;
            }
            for (String layer : LAYERS) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("requests", Math.round(deltas.get(layer)));
                entry.put("share", total == 0 ? 0 : round(deltas.get(layer) / total));
                byLayer.put(layer, entry);
            }
            byLayer.put("hitRate", total == 0 ? 0 : round((deltas.get("l1") + deltas.get("l2")) / total));
            server.put(cache, byLayer);
        }
        report.put("server", server);

        Map<String, Object> lag = new LinkedHashMap<>();
        String name = "docstream_cache_invalidation_lag_seconds";
        double count = after.sum(name + "_count", Map.of()) - before.sum(name + "_count", Map.of());
        double sum = after.sum(name + "_sum", Map.of()) - before.sum(name + "_sum", Map.of());
        lag.put("invalidations", Math.round(count));
        lag.put("meanMs", round(count == 0 ? Double.NaN : sum / count * 1000));
        double p50 = lagQuantile(before, after, name, 0.5);
        double p99 = lagQuantile(before, after, name, 0.99);
        lag.put("p50Ms", round(p50 * 1000));
        lag.put("p99Ms", round(p99 * 1000));
        lag.put("maxMs", round(after.first(name + "_max", Map.of()) * 1000));
        lag.put("source", "query-api /actuator/prometheus, " + name + ": p50/p99 from the histogram buckets' growth"
                + " during the workload (or Micrometer's published percentiles when there are no buckets),"
                + " count and mean over the workload, max over Micrometer's recent window");
        report.put("invalidationLag", lag);

        Map<String, Object> ratios = new LinkedHashMap<>();
        double pingP50 = ping.percentileMillis(50);
        double httpP50 = bareHttp.percentileMillis(50);
        for (String layer : List.of("l1", "l2", "miss")) {
            double layerP50 = searchByLayer.getOrDefault(layer, new Latencies()).percentileMillis(50);
            ratios.put("search_" + layer + "_p50_over_redis_ping_p50", round(layerP50 / pingP50));
            ratios.put("search_" + layer + "_p50_over_http_info_p50", round(layerP50 / httpP50));
        }
        ratios.put("search_miss_p50_over_l1_p50", round(searchByLayer.getOrDefault("miss", new Latencies())
                .percentileMillis(50) / searchByLayer.getOrDefault("l1", new Latencies()).percentileMillis(50)));
        ratios.put("invalidation_lag_p50_over_write_to_searchable_p50",
                round(p50 * 1000 / writeToSearchable.percentileMillis(50)));
        report.put("ratios", ratios);
        return report;
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

    private static Map<String, Object> latency(Latencies latencies) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("count", latencies.count());
        entry.put("p50Ms", round(latencies.percentileMillis(50)));
        entry.put("p99Ms", round(latencies.percentileMillis(99)));
        return entry;
    }

    /** Three decimals; NaN and infinities (a missing layer or anchor) become null in the JSON. */
    private static Double round(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return null;
        }
        return Math.round(value * 1000) / 1000.0;
    }
}
