package io.docstream.cli.eval;

import io.docstream.cli.CommandFailure;
import io.docstream.cli.ServiceHttp;
import io.docstream.cli.ServiceOptions;
import io.docstream.cli.run.EmbeddedRuntime;
import io.docstream.cli.run.RuntimeOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docstream eval}: search quality of keyword, semantic and hybrid search on a BEIR-format test
 * collection, measured through the real path (ingest API, Kafka, indexer, query API). By default it starts a
 * private embedded runtime in a temporary directory, so a run is isolated and repeatable; given
 * {@code --ingest-url} and {@code --query-url} it measures that running deployment instead.
 */
@Command(name = "eval",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {
            "Measure search quality on a BEIR-format collection (corpus.jsonl, queries.jsonl, qrels.tsv; each may be"
                    + " .gz): post the corpus through the ingest API, wait until it is indexed, search every judged"
                    + " query in every mode (k=100) and report nDCG@10, Recall@100, MRR@10, latency p50/p99 of"
                    + " uncached answers and degraded answers per mode, as a table and a JSON report.",
            "",
            "Without --ingest-url/--query-url a private embedded runtime is started in a temporary directory"
                    + " (--model, --set property=value) and removed afterwards (unless --keep). Given both, the"
                    + " running deployment there is measured, with the API key of --api-key-file or <data-dir>,"
                    + " and chunks are counted when --indexer-url is given too."
        })
public final class EvalCommand implements Callable<Integer> {

    /** Properties the embedded runtime passes to the services itself; a system property could not change them. */
    private static final Set<String> RUNTIME_PROPERTIES = Set.of("server.port", "spring.application.name",
            "spring.kafka.bootstrap-servers", "spring.datasource.url", "spring.datasource.username",
            "spring.datasource.password", "spring.flyway.enabled", "docstream.redis.uri",
            "docstream.streams.state-dir", "docstream.index.lucene.path", "docstream.embedding.model");

    @Option(names = "--dataset", paramLabel = "DIR",
            description = "Directory with corpus.jsonl, queries.jsonl and qrels.tsv (or qrels/test.tsv), each may"
                    + " be .gz.")
    Path dataset;

    @Option(names = "--corpus", paramLabel = "FILE", description = "BEIR corpus.jsonl[.gz] (_id, title, text).")
    Path corpus;

    @Option(names = "--queries", paramLabel = "FILE", description = "BEIR queries.jsonl[.gz] (_id, text).")
    Path queries;

    @Option(names = "--qrels", paramLabel = "FILE",
            description = "BEIR qrels TSV[.gz] with the header 'query-id corpus-id score'.")
    Path qrels;

    @Option(names = "--modes", paramLabel = "MODE", split = ",",
            defaultValue = "keyword,semantic,hybrid-rrf,hybrid-weighted",
            description = "Modes to measure: keyword, semantic, hybrid-rrf, hybrid-weighted, hybrid (the configured"
                    + " fusion).")
    List<String> modes;

    @Option(names = "--limit-queries", paramLabel = "N", defaultValue = "0",
            description = "Evaluate only the first N judged queries (0: all).")
    int limitQueries;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Where to write the JSON report (default: <data-dir>/eval/eval-<time>.json).")
    Path report;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = RuntimeOptions.DEFAULT_MODEL,
            description = "Embedding model of the private runtime.")
    String model;

    @Option(names = "--set", paramLabel = "PROPERTY=VALUE",
            description = "A Spring property for the private runtime's services, e.g. docstream.chunking.max-tokens=256"
                    + " or docstream.search.semantic-weight=0.7; repeatable.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--keep", description = "Keep the private runtime's temporary data directory.")
    boolean keep;

    /** Given {@code --ingest-url} and {@code --query-url}, the deployment to measure instead of a private runtime. */
    @Mixin
    ServiceOptions services;

    @Option(names = "--id-prefix", paramLabel = "PREFIX", defaultValue = "",
            description = "Put before every corpus id; results without it are left out (to share a tenant).")
    String idPrefix;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "4", description = "Concurrent ingest requests.")
    int concurrency;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "16",
            description = "Documents per POST /api/v1/documents:batch.")
    int batchSize;

    @Option(names = "--index-timeout", paramLabel = "DURATION", defaultValue = "PT30M",
            description = "How long to wait for the corpus to be indexed, ISO-8601.")
    Duration indexTimeout;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        return CommandFailure.exitCode("eval", out, () -> {
            run(out);
            return 0;
        });
    }

    private void run(PrintStream out) {
        long started = System.nanoTime();
        List<EvalMode> evalModes = modes.stream().map(label -> EvalMode.parse(label, EvalException::new)).distinct()
                .toList();
        validate(evalModes);
        JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        BeirDataset.Sources sources = dataset != null ? BeirDataset.locate(dataset, EvalException::new)
                : new BeirDataset.Sources(corpus, queries, qrels);
        BeirDataset data = BeirDataset.read(sources, mapper, EvalException::new);
        List<BeirDataset.Query> judged = data.judgedQueries();
        List<BeirDataset.Query> evaluated = limitQueries > 0 && judged.size() > limitQueries
                ? judged.subList(0, limitQueries) : judged;
        if (evaluated.isEmpty()) {
            throw new EvalException("no query in " + sources.queries() + " has a relevant document in "
                    + sources.qrels());
        }
        out.printf("Dataset: %d documents, %d queries (%d judged, %d evaluated)%n", data.corpus().size(),
                data.queries().size(), judged.size(), evaluated.size());

        String startedAt = Instant.now().toString();
        EvalReport.Settings settings;
        Double runtimeStartSeconds = null;
        Evaluation.Result result;
        if (external()) {
            settings = settings(sources, "deployment", services.ingestUrl(), services.queryUrl(), null, evalModes);
            result = new Evaluation(deploymentSettings(evalModes), mapper, out).run(data, evaluated);
        } else {
            settings = settings(sources, "private embedded runtime", null, null, model, evalModes);
            PrivateRun run = runPrivately(data, evaluated, evalModes, mapper, out);
            runtimeStartSeconds = run.startSeconds();
            result = run.result();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        EvalReport report = new EvalReport(startedAt, settings, runtimeStartSeconds, result.ingest(), result.modes(),
                result.queries(), Evaluation.round(seconds));
        out.println();
        EvalTable.print(report, out);
        writeReport(report, mapper, out);
        out.printf(Locale.ROOT, "Wall time %.1f s%n", seconds);
    }

    /** The deployment at the given URLs, its indexer only when named (to count chunks). */
    private Evaluation.Settings deploymentSettings(List<EvalMode> evalModes) {
        return new Evaluation.Settings(services.ingest(Evaluation.HTTP_TIMEOUT, EvalException::new),
                services.queryApi(Evaluation.HTTP_TIMEOUT, EvalException::new),
                services.given("--indexer-url") ? services.indexer(Evaluation.HTTP_TIMEOUT, EvalException::new) : null,
                evalModes, concurrency, batchSize, indexTimeout, idPrefix);
    }

    private boolean external() {
        return services.given("--ingest-url") || services.given("--query-url");
    }

    private void validate(List<EvalMode> evalModes) {
        if (evalModes.isEmpty()) {
            throw new EvalException("--modes names no mode");
        }
        if (dataset == null && (corpus == null || queries == null || qrels == null)) {
            throw new EvalException("give --dataset DIR, or all of --corpus, --queries and --qrels");
        }
        if (dataset != null && (corpus != null || queries != null || qrels != null)) {
            throw new EvalException("give either --dataset or --corpus/--queries/--qrels, not both");
        }
        if (concurrency < 1 || batchSize < 1 || limitQueries < 0 || !indexTimeout.isPositive()) {
            throw new EvalException("--concurrency, --batch-size and --index-timeout must be positive,"
                    + " --limit-queries not negative");
        }
        if (external() && !(services.given("--ingest-url") && services.given("--query-url"))) {
            throw new EvalException("a running deployment needs both --ingest-url and --query-url");
        }
        if (external() && !properties.isEmpty()) {
            throw new EvalException("--set applies to the private runtime only; configure the deployment itself");
        }
        for (String property : properties.keySet()) {
            if (RUNTIME_PROPERTIES.contains(property)) {
                throw new EvalException("the embedded runtime sets " + property + " itself"
                        + (property.equals("docstream.embedding.model") ? "; use --model" : ""));
            }
        }
    }

    /**
     * Starts a runtime of its own in a temporary directory with the {@code --set} properties as system
     * properties (which the services' environments read, below their command-line arguments), evaluates, and
     * stops it again, restoring the previous system properties.
     */
    private PrivateRun runPrivately(BeirDataset data, List<BeirDataset.Query> evaluated,
            List<EvalMode> evalModes, JsonMapper mapper, PrintStream out) {
        Path directory;
        try {
            directory = Files.createTempDirectory("docstream-eval");
        } catch (IOException e) {
            throw new EvalException("cannot create a temporary directory: " + e.getMessage());
        }
        Map<String, String> previous = new HashMap<>();
        properties.forEach((key, value) -> previous.put(key, System.setProperty(key, value)));
        EmbeddedRuntime runtime = null;
        Thread stopOnExit = null;
        try {
            RuntimeOptions options = RuntimeOptions.defaults().withDataDir(directory).withFreePorts().withModel(model);
            out.println("Starting a private embedded runtime in " + directory + " ...");
            long started = System.nanoTime();
            try {
                runtime = EmbeddedRuntime.start(options, out);
            } catch (RuntimeException e) {
                throw new EvalException("the private runtime did not start: " + e.getMessage());
            }
            double startSeconds = (System.nanoTime() - started) / 1e9;
            // Ctrl-C must not leave the runtime's PostgreSQL and Redis processes behind.
            EmbeddedRuntime runtimeToStop = runtime;
            stopOnExit = new Thread(() -> {
                runtimeToStop.close();
                if (!keep) {
                    deleteTree(directory);
                }
            }, "docstream-eval-stop");
            Runtime.getRuntime().addShutdownHook(stopOnExit);
            Evaluation.Settings settings = new Evaluation.Settings(
                    privateService(options.ingestUrl(), "the ingest API", runtime),
                    privateService(options.queryApiUrl(), "the query API", runtime),
                    privateService("http://localhost:" + options.indexerPort(), "the indexer", runtime), evalModes,
                    concurrency, batchSize, indexTimeout, idPrefix);
            return new PrivateRun(Evaluation.round(startSeconds), new Evaluation(settings, mapper, out).run(data,
                    evaluated));
        } finally {
            if (runtime != null) {
                runtime.close();
            }
            if (stopOnExit != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopOnExit);
                } catch (IllegalStateException e) {
                    // already shutting down: the hook runs anyway
                }
            }
            previous.forEach((key, value) -> {
                if (value == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, value);
                }
            });
            if (keep) {
                out.println("Kept the private runtime's data in " + directory);
            } else {
                deleteTree(directory);
            }
        }
    }

    /** What the private runtime's start took, and what was measured in it. */
    private record PrivateRun(double startSeconds, Evaluation.Result result) {
    }

    private static ServiceHttp privateService(String url, String name, EmbeddedRuntime runtime) {
        return new ServiceHttp(url, name, runtime.apiKey(), Evaluation.HTTP_TIMEOUT, EvalException::new);
    }

    private EvalReport.Settings settings(BeirDataset.Sources sources, String target, String ingestUrl, String queryUrl,
            String modelId, List<EvalMode> evalModes) {
        return new EvalReport.Settings(target, ingestUrl, queryUrl, modelId, new LinkedHashMap<>(properties),
                sources.corpus().toString(), sources.queries().toString(), sources.qrels().toString(),
                evalModes.stream().map(EvalMode::label).toList(), Evaluation.K, limitQueries, idPrefix, concurrency,
                batchSize, Runtime.getRuntime().availableProcessors());
    }

    private void writeReport(EvalReport result, JsonMapper mapper, PrintStream out) {
        Path file = report != null ? report : services.dataDir().resolve("eval").resolve("eval-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, mapper.writeValueAsString(result), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EvalException("cannot write the report to " + file + ": " + e.getMessage());
        }
        out.println();
        out.println("JSON report: " + file);
    }

    private static void deleteTree(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            List<Path> paths = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
            paths.forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is not worth failing a finished run for
        }
    }

    /** A failure eval reports as one line, without a stack trace. */
    static final class EvalException extends CommandFailure {
        EvalException(String message) {
            super(message);
        }
    }
}
