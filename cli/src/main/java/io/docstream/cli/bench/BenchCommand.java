package io.docstream.cli.bench;

import io.docstream.cli.ApiKeyFile;
import io.docstream.cli.bench.BenchHttp.BenchException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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
            "Measure a running docstream ('docstream run', or the same URLs of a deployment).",
            "",
            "Scenario 'cache': loads the bundled corpus as bench-* documents, runs a read-mostly workload (Zipf-"
                    + "distributed searches, document reads, a fraction of updates followed until indexed) and reports"
                    + " the search hit rate by cache layer (from each answer's 'cache' field and from query-api's"
                    + " metrics), latency by layer, and the invalidation lag p50/p99, with a Redis PING and a"
                    + " bare HTTP round trip (GET /actuator/info) as anchors measured in the same run."
        })
public final class BenchCommand implements Callable<Integer> {

    /** The benchmark scenarios. */
    public enum Scenario { cache }

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "What to measure: ${COMPLETION-CANDIDATES}.")
    Scenario scenario;

    @Option(names = "--ingest-url", paramLabel = "URL", defaultValue = "http://localhost:8081",
            description = "Base URL of the ingest API.")
    String ingestUrl;

    @Option(names = "--query-url", paramLabel = "URL", defaultValue = "http://localhost:8080",
            description = "Base URL of the query API.")
    String queryUrl;

    @Option(names = "--redis-uri", paramLabel = "URI", defaultValue = "redis://localhost:6380",
            description = "The Redis the query API uses (PING anchor only); 6380 is 'docstream run''s.")
    URI redisUri;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:DOCSTREAM_DATA_DIR:-.docstream}",
            description = "Data directory of 'docstream run', where the API key is read from.")
    Path dataDir;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "PT30S",
            description = "How long the workload runs, ISO-8601.")
    Duration duration;

    @Option(names = "--readers", paramLabel = "N", defaultValue = "4", description = "Concurrent clients.")
    int readers;

    @Option(names = "--write-fraction", paramLabel = "F", defaultValue = "0.02",
            description = "Share of operations that update a document (each then followed until indexed).")
    double writeFraction;

    @Option(names = "--document-read-fraction", paramLabel = "F", defaultValue = "0.2",
            description = "Share of operations that read a document by id; the rest are searches.")
    double documentReadFraction;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "hybrid",
            description = "Search mode of the workload: hybrid, semantic or keyword.")
    String mode;

    @Option(names = "--k", paramLabel = "K", defaultValue = "10", description = "Results per search.")
    int k;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the query order.")
    long seed;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Where to write the JSON report (default: <data-dir>/bench/<scenario>-<time>.json).")
    Path report;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        try {
            validate();
            JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
            CacheBenchmark.Settings settings = new CacheBenchmark.Settings(stripSlash(ingestUrl), stripSlash(queryUrl),
                    redisUri, duration, readers, writeFraction, documentReadFraction, mode, k, seed);
            Map<String, Object> result = new CacheBenchmark(settings, new BenchHttp(mapper, readApiKey()), mapper, out)
                    .run();
            out.println();
            CacheReportTable.print(result, out);
            Path file = report != null ? report : dataDir.resolve("bench").resolve(scenario + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, mapper.writeValueAsString(result), StandardCharsets.UTF_8);
            out.println();
            out.println("JSON report: " + file);
            return 0;
        } catch (BenchException e) {
            out.println();
            System.err.println("bench failed: " + e.getMessage());
            return 1;
        }
    }

    private void validate() {
        if (readers < 1 || k < 1 || duration.isNegative() || duration.isZero()) {
            throw new BenchException("--readers, --k and --duration must be positive");
        }
        if (writeFraction < 0 || documentReadFraction < 0 || writeFraction + documentReadFraction > 1) {
            throw new BenchException("--write-fraction and --document-read-fraction must be >= 0 and sum to at most 1");
        }
        if (!Set.of("hybrid", "semantic", "keyword").contains(mode)) {
            throw new BenchException("--mode must be hybrid, semantic or keyword");
        }
    }

    private String readApiKey() {
        return ApiKeyFile.read(dataDir, BenchException::new);
    }


    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
