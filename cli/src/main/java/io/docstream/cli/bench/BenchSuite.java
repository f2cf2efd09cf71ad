package io.docstream.cli.bench;

import io.docstream.cli.ServiceHttp;
import io.docstream.cli.bench.BenchCommand.BenchException;
import io.docstream.cli.bench.BenchReport.ScenarioResult;
import io.docstream.cli.bench.IngestBenchmark.Ingested;
import io.docstream.cli.run.RuntimeOptions;
import java.io.IOException;
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

    record Settings(int documents, int replayDocuments, int connections, Duration loadDuration, int queries, Duration freshnessDuration,
            String model, Long pid, long seed, String loadGenerator, CacheBenchmark.Settings cache) {
    }

    /** The memory scenario's process, and where its figures come from. */
    record MemoryDetails(Long pid, String note) implements BenchReport.ScenarioDetails {
    }

    private final Settings settings;
    private final BenchServices services;
    private final JsonMapper mapper;
    private final PrintStream out;
    private final String nonce = Long.toString(System.currentTimeMillis(), 36)
            + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
    private SyntheticCorpus corpus;
    private ModelAnchor model;
    private Ingested ingested;

    BenchSuite(Settings settings, BenchServices services, JsonMapper mapper) {
        this.settings = settings;
        this.services = services;
        this.mapper = mapper;
        this.out = services.out;
    }

    /** Runs the scenarios and returns the report: settings, then each scenario's figures, memory and details. */
    BenchReport run(List<String> scenarios) throws InterruptedException, IOException {
        services.requireUp(scenarios.stream().flatMap(scenario -> usedBy(scenario).stream()).distinct().toList());
        ServiceMemory memory = ServiceMemory.locate(settings.pid());
        if (memory.pid().isEmpty()) {
            out.println("No single 'docstream run' process found (give --pid); memory figures are left out.");
        }
        corpus = SyntheticCorpus.load(mapper);
        Map<String, ScenarioResult> results = new LinkedHashMap<>();
        for (int i = 0; i < scenarios.size(); i++) {
            String scenario = scenarios.get(i);
            out.printf(Locale.ROOT, "%n[%d/%d] %s%n", i + 1, scenarios.size(), scenario);
            long start = System.nanoTime();
            BenchFigures figures;
            BenchReport.Memory memoryUse;
            try (ServiceMemory.Sampler sampler = memory.sample()) {
                figures = run(scenario);
                sampler.close();
                memoryUse = sampler.report();
            }
            results.put(scenario, new ScenarioResult(BenchFigures.round((System.nanoTime() - start) / 1e9),
                    figures.figures(), memoryUse, figures.details()));
        }
        return new BenchReport(settings(memory), results);
    }

    /** The services a scenario calls, checked before anything runs: the cache workload needs query-api and ingest. */
    private List<ServiceHttp> usedBy(String scenario) {
        return switch (scenario) {
            case "cache" -> List.of(services.query, services.ingest);
            case "memory" -> List.of();
            default -> services.all();
        };
    }

    private BenchFigures run(String scenario) throws InterruptedException, IOException {
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
                yield new ReplayBenchmark(services).run(ingested, settings.replayDocuments());
            }
            case "update" -> new UpdateBenchmark(services, corpus, model()).run(nonce, seed);
            case "search-cached" -> new CachedSearchBenchmark(services, mapper, wrk())
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

    private BenchFigures cache() throws InterruptedException {
        CacheReport report = new CacheBenchmark(settings.cache(), services, mapper).run();
        out.println();
        CacheReportTable.print(report, out);
        CacheReport.SearchLayers layers = report.client().searchByLayer();
        double lagP99 = number(report.invalidationLag().p99Ms());
        BenchFigures figures = new BenchFigures()
                .plain("search hit rate (L1 + L2)", number(report.client().hitRate()), "share");
        for (CacheReport.Phase phase : report.phases()) {
            String name = String.format(Locale.ROOT, "%s, %.0f%% writes", phase.scheme(), phase.writeFraction() * 100);
            figures.plain("search hit rate, " + name, number(phase.hitRate()), "share");
            Double target = phase.writeFraction() == 0.02 ? Double.valueOf(0.9)
                    : phase.writeFraction() == 0.1 ? Double.valueOf(0.75) : null;
            if (phase.hitRateOverNoWrites() != null && phase.writeFraction() > 0) {
                double ratio = phase.hitRateOverNoWrites();
                if (target != null && phase.scheme().equals("selective")) {
                    figures.targeted("hit rate over 0% writes, " + name, ratio, "x", ">= " + target,
                            ratio >= target);
                } else {
                    figures.plain("hit rate over 0% writes, " + name, ratio, "x");
                }
            }
            if (phase.checked() > 0) {
                double setStale = number(phase.setStaleShare());
                figures.targeted("version-stale answers, " + name, phase.versionStale(), "answers", "0",
                        phase.versionStale() == 0);
                if (phase.scheme().equals("selective")) {
                    figures.targeted("set-stale share, " + name, setStale, "share", "<= 0.005", setStale <= 0.005);
                } else {
                    figures.plain("set-stale share, " + name, setStale, "share");
                }
                figures.plain("set-stale share unlike the evaluation just before too, " + name,
                        number(phase.setStaleBothSidesShare()), "share");
            }
        }
        return figures
                .anchored("L1-hit search p50", number(layers.l1().p50Ms()), "ms", "GET /actuator/info p50",
                        number(report.anchors().httpInfo().p50Ms()), null, null)
                .anchored("search miss p50", number(layers.miss().p50Ms()), "ms", "Redis PING p50",
                        number(report.anchors().redisPing().p50Ms()), null, null)
                .targeted("invalidation lag p99", lagP99, "ms", "<= 100 ms", BenchFigures.atMost(lagP99, 100))
                .details(report);
    }

    private BenchFigures memory() throws InterruptedException {
        ServiceMemory memory = ServiceMemory.locate(settings.pid());
        Thread.sleep(MEMORY_SAMPLING);
        return new BenchFigures()
                .plain("service JVM VmRSS now", memory.readKb("VmRSS") / 1024.0, "MB")
                .plain("service JVM VmHWM (peak over its life)", memory.readKb("VmHWM") / 1024.0, "MB")
                .details(new MemoryDetails(memory.pid().orElse(null), "every scenario reports the service JVM's"
                        + " largest VmRSS sampled while it ran (every 200 ms) and VmHWM at its end, from"
                        + " /proc/<pid>/status"));
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
        List<String> models = services.scrape(services.indexer)
                .labelValues("docstream_indexer_embed_duration_seconds_count", "model");
        return models.size() == 1 ? models.getFirst() : RuntimeOptions.DEFAULT_MODEL;
    }

    private BenchReport.Settings settings(ServiceMemory memory) {
        return new BenchReport.Settings(services.query.url(), services.ingest.url(), services.indexer.url(),
                services.invalidator.url(), services.redis.toString(), model == null ? null : model.modelId(), nonce,
                settings.seed(), settings.documents(), settings.connections(), settings.loadGenerator(),
                settings.loadDuration().toSeconds(), settings.queries(), settings.freshnessDuration().toSeconds(),
                memory.pid().orElse(null), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
    }

    /** A figure that may be missing (null) as a number, NaN when missing. */
    private static double number(Double value) {
        return value == null ? Double.NaN : value;
    }
}
