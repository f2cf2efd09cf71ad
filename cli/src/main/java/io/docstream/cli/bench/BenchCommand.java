package io.docstream.cli.bench;

import io.docstream.cli.CommandFailure;
import io.docstream.cli.ServiceOptions;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docstream bench <scenario>}: measurements against a running docstream, printed as a table and
 * saved as JSON. Every latency comes with anchors measured in the same run, so figures from different
 * machines compare as ratios.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {
            "Measure a running docstream ('docstream run', or the same URLs of a deployment). Every figure is"
                    + " printed beside an anchor measured in the same run and the ratio to it, with its target;"
                    + " the JSON report holds the same and more.",
            "",
            "ingest: cold docs/s from POST to indexed of --documents fresh ~150-word documents vs the same model"
                    + " embedding the same chunks in batches here (target ratio >= 0.8).",
            "replay: re-indexing that corpus, with copies of it under new ids up to --replay-documents, through the"
                    + " indexer's replay API vs its cold ingest (target >= 20x and >= 1,000 docs/s, 0 chunks embedded).",
            "update: one changed paragraph of a 12-paragraph document re-embeds exactly 1 chunk.",
            "search-cached: L1-hit searches at the max rate and at half of it vs the JDK's HTTP server returning"
                    + " the same bytes (target ratio >= 0.5, p99 <= 5 ms at half the max rate); a k=50 page plain,"
                    + " gzip and zstd: bytes on the wire (target >= 4x smaller) and max rate (target gzip >= 0.9x"
                    + " plain).",
            "search-uncached: hybrid searches of distinct queries vs embedding + keyword + semantic alone (target"
                    + " overhead <= 25%% at p50).",
            "freshness: accepted -> searchable at half the max ingest rate (target p99 <= 1 s) and invalidation lag"
                    + " (target p99 <= 100 ms), hop by hop.",
            "cache: hit rate by cache layer, latency by layer and invalidation lag under a read-mostly workload,"
                    + " against a Redis PING and a bare HTTP round trip.",
            "memory: the service JVM's resident memory (every scenario also reports its own).",
            "all: every scenario above in sequence, into one report."
        })
public final class BenchCommand implements Callable<Integer> {

    private static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** The benchmark scenarios; {@code all} runs every other one in sequence. */
    public enum Scenario {
        cache, ingest, replay, update, search_cached, search_uncached, freshness, memory, all;

        /** The name on the command line (with hyphens). */
        public String label() {
            return name().replace('_', '-');
        }

        @Override
        public String toString() {
            return label();
        }

        static Scenario of(String label) {
            for (Scenario scenario : values()) {
                if (scenario.label().equals(label)) {
                    return scenario;
                }
            }
            throw new TypeConversionException("'" + label + "' is not a scenario; one of " + Arrays.stream(values())
                    .map(Scenario::label).collect(Collectors.joining(", ")));
        }
    }

    @Parameters(index = "0", paramLabel = "SCENARIO", converter = ScenarioConverter.class,
            completionCandidates = ScenarioNames.class, description = "What to measure: ${COMPLETION-CANDIDATES}.")
    Scenario scenario;

    @Mixin
    ServiceOptions services;

    @Option(names = "--documents", paramLabel = "N", defaultValue = "600",
            description = "Fresh documents the ingest (and replay) scenario writes.")
    int documents;

    @Option(names = "--replay-documents", paramLabel = "N",
            description = "Documents the replay scenario re-indexes: the cold corpus plus copies of it under new ids"
                    + " (same text, so they cost no embedding), enough that the replay's fixed start-up does not"
                    + " decide its rate. Default: 10 x --documents.")
    Integer replayDocuments;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "16",
            description = "Keep-alive connections of the search-cached load generator.")
    int connections;

    @Option(names = "--load-generator", paramLabel = "GENERATOR", defaultValue = "auto",
            description = "Max-rate runs of search-cached: wrk, java (built-in), or auto (wrk when on the PATH)."
                    + " Half-rate runs always use the built-in constant-rate generator.")
    String loadGenerator;

    @Option(names = "--load-duration", paramLabel = "DURATION", defaultValue = "PT10S",
            description = "Length of each search-cached load run (four runs, each after a warm-up of 2 s, or of this"
                    + " length when shorter), ISO-8601.")
    Duration loadDuration;

    @Option(names = "--queries", paramLabel = "N", defaultValue = "100",
            description = "Distinct queries of the search-uncached scenario.")
    int queries;

    @Option(names = "--freshness-duration", paramLabel = "DURATION", defaultValue = "PT20S",
            description = "How long the freshness scenario writes, ISO-8601.")
    Duration freshnessDuration;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "Model of the anchors (default: the one the indexer reports in its metrics, else"
                    + " 'docstream run''s default).")
    String model;

    @Option(names = "--pid", paramLabel = "PID",
            description = "Process whose memory is reported (default: the local 'docstream run' process).")
    Long pid;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "PT30S",
            description = "How long the cache workload runs, ISO-8601.")
    Duration duration;

    @Option(names = "--readers", paramLabel = "N", defaultValue = "4", description = "Concurrent clients of the cache"
            + " workload.")
    int readers;

    @Option(names = "--write-fraction", paramLabel = "F", defaultValue = "0.02", split = ",",
            description = "Share of cache-workload operations that update a document (each then followed until"
                    + " indexed); several, comma-separated, run one after the other, e.g. 0,0.02,0.1.")
    List<Double> writeFractions;

    @Option(names = "--schemes", paramLabel = "SCHEME", defaultValue = "selective,generation", split = ",",
            description = "Search invalidation schemes the cache workload runs under, one after the other on the"
                    + " same corpus (set for the benchmark's tenant with PUT /api/v1/admin/cache): selective,"
                    + " generation.")
    List<String> schemes;

    @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "PT5S",
            description = "Unmeasured workload before each measured phase of the cache workload, ISO-8601.")
    Duration warmup;

    @Option(names = "--document-read-fraction", paramLabel = "F", defaultValue = "0.2",
            description = "Share of cache-workload operations that read a document by id; the rest are searches.")
    double documentReadFraction;

    @Option(names = "--cache-documents", paramLabel = "N", defaultValue = "60",
            description = "Documents of the cache workload: the bundled 60, and generated ones beyond that.")
    int cacheDocuments;

    @Option(names = "--check-fraction", paramLabel = "F", defaultValue = "0.1",
            description = "Share of the cache workload's searches checked: evaluated fresh (Cache-Control: no-cache)"
                    + " just before and just after; when the search was answered from the cache, version-stale and"
                    + " set-stale answers are counted.")
    double checkFraction;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "hybrid",
            description = "Search mode of the cache workload: hybrid, semantic or keyword.")
    String mode;

    @Option(names = "--k", paramLabel = "K", defaultValue = "10", description = "Results per search of the cache"
            + " workload.")
    int k;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the generated corpus and the query orders.")
    long seed;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Where to write the JSON report (default: <data-dir>/bench/<scenario>-<time>.json).")
    Path report;

    /** The scenario names, for the help text and shell completion. */
    static final class ScenarioNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Scenario.values()).map(Scenario::label).iterator();
        }
    }

    /** Reads a scenario by its hyphenated name; an unknown one is a usage error listing the others. */
    static final class ScenarioConverter implements ITypeConverter<Scenario> {
        @Override
        public Scenario convert(String value) {
            return Scenario.of(value);
        }
    }

    @Override
    public Integer call() {
        PrintStream out = System.out;
        return CommandFailure.exitCode("bench", out, () -> {
            validate();
            BenchReport report = run(out);
            Path file = write(report);
            out.println();
            out.println("JSON report: " + file);
            return 0;
        });
    }

    /** Runs the scenario (every one for {@code all}) and prints its figures; {@code cache} first prints its own table. */
    private BenchReport run(PrintStream out) {
        BenchServices running = new BenchServices(services, out);
        CacheBenchmark.Settings cache = new CacheBenchmark.Settings(duration, readers, writeFractions,
                documentReadFraction, mode, k, seed, cacheDocuments, checkFraction, schemes, warmup);
        BenchSuite.Settings settings = new BenchSuite.Settings(documents,
                replayDocuments == null ? 10 * documents : replayDocuments, connections, loadDuration,
                queries,
                freshnessDuration, model, pid, seed, loadGenerator, cache);
        List<String> scenarios = scenario == Scenario.all ? BenchSuite.SCENARIOS : List.of(scenario.label());
        BenchReport report;
        try {
            report = new BenchSuite(settings, running, MAPPER).run(scenarios);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        } catch (IOException e) {
            throw new BenchException(e.getMessage());
        }
        out.println();
        BenchReportTable.print(report.scenarios(), out);
        return report;
    }

    private Path write(BenchReport result) {
        Path file = report != null ? report : services.dataDir().resolve("bench").resolve(scenario.label() + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, MAPPER.writeValueAsString(result), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BenchException("cannot write the report to " + file + ": " + e.getMessage());
        }
        return file;
    }

    private void validate() {
        if (readers < 1 || k < 1 || duration.isNegative() || duration.isZero()) {
            throw new BenchException("--readers, --k and --duration must be positive");
        }
        if (documents < 1 || connections < 1 || queries < 1 || loadDuration.isNegative() || loadDuration.isZero()
                || freshnessDuration.isNegative() || freshnessDuration.isZero()) {
            throw new BenchException("--documents, --connections, --queries, --load-duration and"
                    + " --freshness-duration must be positive");
        }
        if (cacheDocuments < 1 || checkFraction < 0 || checkFraction > 1) {
            throw new BenchException("--cache-documents must be at least 1 and --check-fraction between 0 and 1");
        }
        if (writeFractions.isEmpty() || documentReadFraction < 0 || writeFractions.stream().anyMatch(fraction ->
                fraction < 0 || fraction + documentReadFraction > 1)) {
            throw new BenchException("--write-fraction and --document-read-fraction must be >= 0 and sum to at most 1");
        }
        if (schemes.isEmpty() || !Set.of("selective", "generation").containsAll(schemes) || warmup.isNegative()) {
            throw new BenchException("--schemes takes selective and/or generation, and --warmup must not be negative");
        }
        if (!Set.of("auto", "wrk", "java").contains(loadGenerator)) {
            throw new BenchException("--load-generator must be auto, wrk or java");
        }
        if (!Set.of("hybrid", "semantic", "keyword").contains(mode)) {
            throw new BenchException("--mode must be hybrid, semantic or keyword");
        }
    }

    /** A failure the benchmark reports as one line, without a stack trace. */
    static final class BenchException extends CommandFailure {
        BenchException(String message) {
            super(message);
        }
    }
}
