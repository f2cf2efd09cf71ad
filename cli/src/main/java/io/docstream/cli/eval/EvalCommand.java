package io.docstream.cli.eval;

import io.docstream.cli.ApiKeyFile;
import io.docstream.cli.CommandFailure;
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
import picocli.CommandLine.Option;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docstream eval}: search quality of keyword, semantic and hybrid search on a BEIR-format test
 * collection, measured through the real path (ingest API, Kafka, indexer, query API). By default it starts a
 * private embedded runtime in a temporary directory, so a run is isolated and repeatable; with
 * {@code --ingest-url}/{@code --query-url} it measures a running deployment instead.
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
                    + " (--model, --set property=value) and removed afterwards (unless --keep)."
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

    @Option(names = "--ingest-url", paramLabel = "URL",
            description = "Evaluate a running deployment: base URL of its ingest API (with --query-url).")
    String ingestUrl;

    @Option(names = "--query-url", paramLabel = "URL", description = "Base URL of the running deployment's query API.")
    String queryUrl;

    @Option(names = "--indexer-url", paramLabel = "URL",
            description = "Base URL of the running deployment's indexer, to count chunks (optional).")
    String indexerUrl;

    @Option(names = "--api-key-file", paramLabel = "FILE",
            description = "File holding the running deployment's API key (default: <data-dir>/api-key).")
    Path apiKeyFile;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:DOCSTREAM_DATA_DIR:-.docstream}",
            description = "Data directory of 'docstream run' (API key of a running deployment; default report folder).")
    Path dataDir;

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

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("startedAt", Instant.now().toString());
        if (external()) {
            Evaluation.Settings settings = new Evaluation.Settings(stripSlash(ingestUrl), stripSlash(queryUrl),
                    indexerUrl == null ? null : stripSlash(indexerUrl), readApiKey(), evalModes, concurrency, batchSize,
                    indexTimeout, idPrefix);
            result.put("settings", settings(sources, "deployment", null, evalModes));
            result.putAll(new Evaluation(settings, mapper, out).run(data, evaluated));
        } else {
            result.put("settings", settings(sources, "private embedded runtime", model, evalModes));
            result.putAll(runPrivately(data, evaluated, evalModes, mapper, out));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        result.put("wallSeconds", Evaluation.round(seconds));
        out.println();
        EvalTable.print(result, out);
        writeReport(result, mapper, out);
        out.printf(Locale.ROOT, "Wall time %.1f s%n", seconds);
    }

    private boolean external() {
        return ingestUrl != null || queryUrl != null;
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
        if (external() && (ingestUrl == null || queryUrl == null)) {
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
    private Map<String, Object> runPrivately(BeirDataset data, List<BeirDataset.Query> evaluated,
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
            Evaluation.Settings settings = new Evaluation.Settings(options.ingestUrl(), options.queryApiUrl(),
                    "http://localhost:" + options.indexerPort(), runtime.apiKey(), evalModes, concurrency,
                    batchSize, indexTimeout, idPrefix);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("runtimeStartSeconds", Evaluation.round(startSeconds));
            result.putAll(new Evaluation(settings, mapper, out).run(data, evaluated));
            return result;
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

    private Map<String, Object> settings(BeirDataset.Sources sources, String target, String modelId,
            List<EvalMode> evalModes) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("target", target);
        settings.put("ingestUrl", ingestUrl);
        settings.put("queryUrl", queryUrl);
        settings.put("model", modelId);
        settings.put("properties", new LinkedHashMap<>(properties));
        settings.put("corpus", sources.corpus().toString());
        settings.put("queries", sources.queries().toString());
        settings.put("qrels", sources.qrels().toString());
        settings.put("modes", evalModes.stream().map(EvalMode::label).toList());
        settings.put("k", Evaluation.K);
        settings.put("limitQueries", limitQueries);
        settings.put("idPrefix", idPrefix);
        settings.put("concurrency", concurrency);
        settings.put("batchSize", batchSize);
        settings.put("cores", Runtime.getRuntime().availableProcessors());
        return settings;
    }

    private void writeReport(Map<String, Object> result, JsonMapper mapper, PrintStream out) {
        Path file = report != null ? report : dataDir.resolve("eval").resolve("eval-"
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

    private String readApiKey() {
        return apiKeyFile != null ? ApiKeyFile.readFile(apiKeyFile, EvalException::new)
                : ApiKeyFile.read(dataDir, EvalException::new);
    }

    private static void deleteTree(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            List<Path> paths = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
            paths.forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is not worth failing a finished run for
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** A failure eval reports as one line, without a stack trace. */
    static final class EvalException extends CommandFailure {
        EvalException(String message) {
            super(message);
        }
    }
}
