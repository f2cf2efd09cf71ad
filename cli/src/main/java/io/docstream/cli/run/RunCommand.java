package io.docstream.cli.run;

import io.docstream.embedding.onnx.OnnxEmbedder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code docstream run}: the whole system in this process until Ctrl-C. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {
            "Start Kafka (KRaft), PostgreSQL, Redis, the Lucene index, the embedding model and the four services"
                    + " (ingest, indexer, invalidator, query-api) in this process, then wait for Ctrl-C.",
            "",
            "All data lives in the data directory, so the next start continues where this one stopped.",
            "On the first start tenant 'demo' and an API key with every scope are created;"
                    + " the key is written to <data-dir>/api-key."
        })
public final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
            defaultValue = "${env:DOCSTREAM_DATA_DIR:-.docstream}",
            description = "Where Kafka, PostgreSQL, Redis, the index and the API key are kept.")
    Path dataDir;

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "9092",
            description = "Kafka listener port.")
    int kafkaPort;

    @Option(names = "--postgres-port", paramLabel = "PORT", defaultValue = "54329",
            description = "PostgreSQL port.")
    int postgresPort;

    @Option(names = "--redis-port", paramLabel = "PORT", defaultValue = "6380",
            description = "Redis port.")
    int redisPort;

    @Option(names = "--query-port", paramLabel = "PORT", defaultValue = "8080",
            description = "query-api HTTP port.")
    int queryPort;

    @Option(names = "--ingest-port", paramLabel = "PORT", defaultValue = "8081",
            description = "ingest HTTP port.")
    int ingestPort;

    @Option(names = "--indexer-port", paramLabel = "PORT", defaultValue = "8082",
            description = "indexer actuator port.")
    int indexerPort;

    @Option(names = "--invalidator-port", paramLabel = "PORT", defaultValue = "8083",
            description = "invalidator actuator port.")
    int invalidatorPort;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = RuntimeOptions.DEFAULT_MODEL,
            description = "Embedding model: all-minilm-l6-v2-q or bge-small-en-v1.5-q."
                    + " Changing it on an existing data directory needs a reindex.")
    String model;

    @Option(names = "--otel",
            description = "Export traces to an OpenTelemetry collector (OTLP over HTTP, service name 'docstream')."
                    + " The docstream launcher sees this flag and starts the JVM with the OpenTelemetry Java agent.")
    boolean otel;

    @Option(names = "--otel-endpoint", paramLabel = "URL",
            description = "Where --otel sends traces (implies --otel). Default: " + OtelAgent.DEFAULT_ENDPOINT + ".")
    String otelEndpoint;

    RuntimeOptions options() {
        return new RuntimeOptions(dataDir, kafkaPort, postgresPort, redisPort, queryPort, ingestPort, indexerPort,
                invalidatorPort, model);
    }

    @Override
    public Integer call() throws InterruptedException {
        if (!OnnxEmbedder.knownModelIds().contains(model)) {
            throw new ParameterException(spec.commandLine(), "Unknown --model '" + model + "'; choose one of "
                    + String.join(", ", OnnxEmbedder.knownModelIds()));
        }
        if ((otel || otelEndpoint != null) && !OtelAgent.attached()) {
            throw new ParameterException(spec.commandLine(), "--otel needs the OpenTelemetry agent in this JVM:"
                    + " start through the ./docstream launcher, which attaches it, or add -javaagent:"
                    + "cli/target/agents/opentelemetry-javaagent.jar to the java command yourself.");
        }
        PrintStream out = System.out;
        RuntimeOptions options = options();
        out.println("Starting docstream with data in " + options.dataDir());
        long started = System.nanoTime();
        EmbeddedRuntime runtime;
        try {
            runtime = EmbeddedRuntime.start(options, out);
        } catch (RuntimeException e) {
            System.err.println();
            System.err.println("docstream failed to start: " + describe(e));
            System.err.println("Everything that had started was stopped again.");
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println();
            out.println("Stopping docstream...");
            try {
                runtime.close();
                out.println("Stopped cleanly.");
            } catch (RuntimeException e) {
                out.println("Stopped, but not cleanly: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "docstream-stop"));
        printWelcome(out, runtime.options(), runtime.bootstrapServers(), (System.nanoTime() - started) / 1e9);
        stopped.await();
        return 0;
    }

    /** The failure and its root cause in one line, e.g. a port already in use. */
    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == failure ? String.valueOf(failure.getMessage())
                : failure.getMessage() + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    /** The web console query-api serves. */
    public static String consoleUrl(RuntimeOptions options) {
        return options.queryApiUrl() + "/console";
    }

    static void printWelcome(PrintStream out, RuntimeOptions options, String bootstrapServers, double seconds) {
        out.printf("%ndocstream is up in %.1f s.%n%n", seconds);
        out.println("  console    " + consoleUrl(options) + "   (search, documents, pipeline; in a browser)");
        out.println("  query-api  " + options.queryApiUrl() + "   (search, documents)");
        out.println("  ingest     " + options.ingestUrl() + "   (document commands, status)");
        out.println("  kafka      " + bootstrapServers);
        out.println("  api key    " + options.apiKeyFile() + "   (tenant demo, every scope)");
        OtelAgent.endpoint().ifPresent(endpoint -> out.println("  traces     " + endpoint
                + "   (OTLP, service docstream)"));
        out.println();
        out.println("Try:");
        out.println("  KEY=$(cat " + options.apiKeyFile() + ")");
        out.println("  curl -s -X POST " + options.ingestUrl() + "/api/v1/documents -H \"Authorization: Bearer $KEY\" \\");
        out.println("       -H 'Content-Type: application/json' \\");
        out.println("       -d '{\"id\":\"hello\",\"title\":\"Hello\",\"body\":\"Kafka carries every change as an event.\"}'");
        out.println("  curl -s \"" + options.queryApiUrl() + "/api/v1/search?q=event+streaming\" -H \"Authorization: Bearer $KEY\"");
        out.println("  ./docstream demo      # loads a 60-document sample corpus and runs example searches");
        out.println();
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }
}
