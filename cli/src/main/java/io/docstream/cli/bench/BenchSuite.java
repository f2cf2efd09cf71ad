package io.docstream.cli.bench;

import io.docstream.cli.bench.BenchHttp.BenchException;
import io.docstream.cli.bench.IngestBenchmark.Ingested;
import io.docstream.cli.run.RuntimeOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs scenarios one after the other against a running docstream, each with the service JVM's resident
 * memory sampled while it runs, and collects their figures into one report. Scenarios of one run share what
 * they can: the cold ingest is what the replay re-indexes and what paces the freshness scenario.
 */
final class BenchSuite {

    /** Every scenario, in the order {@code all} runs them. */
    static final List<String> SCENARIOS = List.of("ingest", "replay", "update", "search-cached", "search-uncached",
            "freshness", "cache", "memory");

    private static final int PROBE_DOCUMENTS = 40;
    private static final Duration MEMORY_SAMPLING = Duration.ofSeconds(2);

    record Settings(int documents, int connections, Duration loadDuration, int queries, Duration freshnessDuration,
            String model, Long pid, long seed, String loadGenerator, CacheBenchmark.Settings cache) {
    }

    private final Settings settings;
    private final BenchServices services;
    private final JsonMapper mapper;
    private final String apiKey;
    private final PrintStream out;
    private final String nonce = Long.toString(System.currentTimeMillis(), 36)
            + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
    private SyntheticCorpus corpus;
    private ModelAnchor model;
    private Ingested ingested;

    BenchSuite(Settings settings, BenchServices services, JsonMapper mapper, String apiKey) {
        this.settings = settings;
        this.services = services;
        this.mapper = mapper;
        this.apiKey = apiKey;
        this.out = services.out;
    }

    /** Runs the scenarios and returns the report: setup, then each scenario's figures, details and memory. */
    Map<String, Object> run(List<String> scenarios) throws Exception {
        services.requireUp();
        ServiceMemory memory = ServiceMemory.locate(settings.pid());
        if (memory.pid().isEmpty()) {
            out.println("No single 'docstream run' process found (give --pid); memory figures are left out.");
        }
        corpus = SyntheticCorpus.load(mapper);
        Map<String, Object> results = new LinkedHashMap<>();
        for (int i = 0; i < scenarios.size(); i++) {
            String scenario = scenarios.get(i);
            out.printf(Locale.ROOT, "%n[%d/%d] %s%n", i + 1, scenarios.size(), scenario);
            long start = System.nanoTime();
            BenchFigures figures;
            Map<String, Object> memoryReport;
            try (ServiceMemory.Sampler sampler = memory.sample()) {
                figures = run(scenario);
                sampler.close();
                memoryReport = sampler.report();
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("seconds", BenchFigures.round((System.nanoTime() - start) / 1e9));
            result.put("figures", figures.figures());
            result.put("memory", memoryReport);
            result.put("details", figures.details());
            results.put(scenario, result);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("setup", setup(memory));
        report.put("scenarios", results);
        return report;
    }

    private BenchFigures run(String scenario) throws Exception {
        long seed = settings.seed();
        return switch (scenario) {
            case "ingest" -> {
                IngestBenchmark.Measured measured = new IngestBenchmark(services, corpus, model())
                        .run(settings.documents(), nonce, seed);
                ingested = measured.ingested();
                yield measured.figures();
            }
            case "replay" -> {
                if (ingested == null) {
                    out.println("  first a cold ingest of the corpus to replay:");
                    ingested = new IngestBenchmark(services, corpus, model()).ingest(settings.documents(), nonce, seed,
                            "bench-replay-");
                }
                yield new ReplayBenchmark(services).run(ingested);
            }
            case "update" -> new UpdateBenchmark(services, corpus, model()).run(nonce, seed);
            case "search-cached" -> new CachedSearchBenchmark(services, mapper, apiKey, wrk())
                    .run(settings.connections(), settings.loadDuration());
            case "search-uncached" -> new UncachedSearchBenchmark(services, corpus, model())
                    .run(settings.queries(), seed ^ nonce.hashCode());
            case "freshness" -> new FreshnessBenchmark(services, corpus)
                    .run(maxIngestRate(), settings.freshnessDuration(), nonce, seed);
            case "cache" -> cache();
            case "memory" -> memory();
            default -> throw new BenchException("unknown scenario '" + scenario + "'");
        };
    }

    /** The cold ingest rate of this run, or of a quick probe when no ingest ran yet. */
    private double maxIngestRate() throws InterruptedException {
        if (ingested == null) {
            out.printf(Locale.ROOT, "  probing the maximum ingest rate with %d fresh documents:%n", PROBE_DOCUMENTS);
            ingested = new IngestBenchmark(services, corpus, model()).ingest(PROBE_DOCUMENTS, nonce, settings.seed(),
                    "bench-probe-");
        }
        return ingested.docsPerSecond();
    }

    @SuppressWarnings("unchecked")
    private BenchFigures cache() throws InterruptedException {
        Map<String, Object> report = new CacheBenchmark(settings.cache(), services.http, mapper, out).run();
        out.println();
        CacheReportTable.print(report, out);
        Map<String, Object> anchors = (Map<String, Object>) report.get("anchors");
        Map<String, Object> layers = (Map<String, Object>) ((Map<String, Object>) report.get("client"))
                .get("searchByLayer");
        Map<String, Object> lag = (Map<String, Object>) report.get("invalidationLag");
        double l1 = number(((Map<String, Object>) layers.get("l1")).get("p50Ms"));
        double miss = number(((Map<String, Object>) layers.get("miss")).get("p50Ms"));
        double ping = number(((Map<String, Object>) anchors.get("redisPing")).get("p50Ms"));
        double info = number(((Map<String, Object>) anchors.get("httpInfo")).get("p50Ms"));
        double lagP99 = number(lag.get("p99Ms"));
        return new BenchFigures()
                .plain("search hit rate (L1 + L2)",
                        number(((Map<String, Object>) report.get("client")).get("hitRate")), "share")
                .anchored("L1-hit search p50", l1, "ms", "GET /actuator/info p50", info, null, null)
                .anchored("search miss p50", miss, "ms", "Redis PING p50", ping, null, null)
                .targeted("invalidation lag p99", lagP99, "ms", "<= 100 ms", BenchFigures.atMost(lagP99, 100))
                .detail("report", report);
    }

    private BenchFigures memory() throws InterruptedException {
        ServiceMemory memory = ServiceMemory.locate(settings.pid());
        Thread.sleep(MEMORY_SAMPLING);
        return new BenchFigures()
                .plain("service JVM VmRSS now", memory.readKb("VmRSS") / 1024.0, "MB")
                .plain("service JVM VmHWM (peak over its life)", memory.readKb("VmHWM") / 1024.0, "MB")
                .detail("pid", memory.pid().orElse(null))
                .detail("note", "every scenario reports the service JVM's largest VmRSS sampled while it ran"
                        + " (every 200 ms) and VmHWM at its end, from /proc/<pid>/status");
    }

    /** wrk for the max-rate runs: when asked for, or in 'auto' when installed. */
    private Optional<Wrk> wrk() {
        Optional<Wrk> wrk = settings.loadGenerator().equals("java") ? Optional.empty() : Wrk.find();
        if (wrk.isEmpty() && settings.loadGenerator().equals("wrk")) {
            throw new BenchException("--load-generator wrk, but there is no wrk on the PATH");
        }
        return wrk;
    }

    private ModelAnchor model() {
        if (model == null) {
            String id = settings.model() != null ? settings.model() : servedModel();
            out.println("  loading " + id + " in the benchmark's JVM for the anchors ...");
            model = ModelAnchor.load(id, ModelAnchor.EMBED_BATCH_SIZE);
        }
        return model;
    }

    /** The model the indexer embeds with (its embed timer's tag), else the default of 'docstream run'. */
    private String servedModel() {
        List<String> models = services.scrape(services.indexerUrl)
                .labelValues("docstream_indexer_embed_duration_seconds_count", "model");
        return models.size() == 1 ? models.getFirst() : RuntimeOptions.DEFAULT_MODEL;
    }

    private Map<String, Object> setup(ServiceMemory memory) {
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("queryUrl", services.queryUrl);
        setup.put("ingestUrl", services.ingestUrl);
        setup.put("indexerUrl", services.indexerUrl);
        setup.put("invalidatorUrl", services.invalidatorUrl);
        setup.put("model", model == null ? null : model.modelId());
        setup.put("nonce", nonce);
        setup.put("documents", settings.documents());
        setup.put("connections", settings.connections());
        setup.put("loadGenerator", settings.loadGenerator());
        setup.put("loadDurationSeconds", settings.loadDuration().toSeconds());
        setup.put("queries", settings.queries());
        setup.put("freshnessDurationSeconds", settings.freshnessDuration().toSeconds());
        setup.put("servicePid", memory.pid().orElse(null));
        setup.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        setup.put("java", System.getProperty("java.version"));
        return setup;
    }

    private static double number(Object value) {
        return value instanceof Number number ? number.doubleValue() : Double.NaN;
    }
}
