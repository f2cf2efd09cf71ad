package io.docstream.cli;

import io.docstream.cli.run.EmbeddedRuntime;
import io.docstream.cli.run.RuntimeOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One embedded runtime with two replicas of each stateless or partitioned service: two query APIs (shared Redis,
 * separate L1 caches), two ingests and two invalidators (their Streams apps and audit consumer split the
 * partitions), beside the one indexer the embedded Lucene index takes; shared by the cache and scale-out test
 * classes because starting one costs tens of seconds on a small machine. Each class uses documents of its own;
 * the runtime is closed once the whole test run is over. Classes get it as a {@code @BeforeAll} parameter
 * with {@code @ExtendWith(SharedCacheRuntime.Resolver.class)}.
 */
public final class SharedCacheRuntime implements AutoCloseable {

    private final Path dataDir;
    private final RuntimeOptions options;
    private final EmbeddedRuntime runtime;
    private final String replicaUrl;
    private final String ingestReplicaUrl;
    private final String invalidatorReplicaUrl;
    private final String apiKey;

    private SharedCacheRuntime(Path dataDir) throws IOException {
        this.dataDir = dataDir;
        this.options = RuntimeOptions.defaults().withDataDir(dataDir).withFreePorts();
        EmbeddedRuntime started = EmbeddedRuntime.start(options, System.out);
        try {
            this.replicaUrl = started.startQueryApiReplica();
            this.ingestReplicaUrl = started.startIngestReplica();
            this.invalidatorReplicaUrl = started.startInvalidatorReplica();
            this.apiKey = Files.readString(options.apiKeyFile()).strip();
        } catch (IOException | RuntimeException e) {
            started.close();
            throw e;
        }
        this.runtime = started;
    }

    public EmbeddedRuntime runtime() {
        return runtime;
    }

    public RuntimeOptions options() {
        return options;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String ingestUrl() {
        return options.ingestUrl();
    }

    /** The first ingest, then the replica. */
    public List<String> ingestUrls() {
        return List.of(options.ingestUrl(), ingestReplicaUrl);
    }

    /** The first invalidator, then the replica. */
    public List<String> invalidatorUrls() {
        return List.of("http://localhost:" + options.invalidatorPort(), invalidatorReplicaUrl);
    }

    /** The first query API, then the replica. */
    public List<String> queryUrls() {
        return List.of(options.queryApiUrl(), replicaUrl);
    }

    public String apiKey() {
        return apiKey;
    }

    @Override
    public void close() throws IOException {
        try {
            runtime.close();
        } finally {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Resolves a {@link SharedCacheRuntime} parameter, starting the runtime on first use. */
    public static final class Resolver implements ParameterResolver {

        private static final ExtensionContext.Namespace NAMESPACE =
                ExtensionContext.Namespace.create(SharedCacheRuntime.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == SharedCacheRuntime.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(NAMESPACE).computeIfAbsent(SharedCacheRuntime.class, key -> {
                try {
                    return new SharedCacheRuntime(Files.createTempDirectory("docstream-cache-tests"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, SharedCacheRuntime.class);
        }
    }
}
