package io.docstream.cli.run;

import io.docstream.embedding.Embedder;
import io.docstream.embedding.EmbedderRegistry;
import io.docstream.embedding.SwitchableEmbedder;
import io.docstream.search.IndexTargets;
import io.docstream.search.SearchIndex;
import io.docstream.search.SearchIndexConfiguration;
import io.docstream.search.lucene.LuceneIndexTargets;
import io.docstream.indexer.IndexerApplication;
import io.docstream.ingest.IngestApplication;
import io.docstream.invalidator.InvalidatorApplication;
import io.docstream.platform.kafka.KafkaTopicsProperties;
import io.docstream.query.QueryApiApplication;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.bridge.SLF4JBridgeHandler;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

/**
 * The whole of docstream in one JVM: Kafka (KRaft), PostgreSQL and Redis on the data directory, one embedding
 * model (following the index alias's model) and one set of Lucene index targets shared by the four services, each service in its own Spring context on its own
 * port. {@link #close()} stops the services, the index, Redis, Kafka and PostgreSQL, in that order.
 */
public final class EmbeddedRuntime implements AutoCloseable {

    /**
     * Spring Boot would reset logback once per service; the cli's logback.xml already configured it, and the
     * runtime bridges java.util.logging (Tomcat, Lucene) itself.
     */
    private static final String LOGGING_SYSTEM_PROPERTY = "org.springframework.boot.logging.LoggingSystem";

    /** The Lucene alias and the build of the first target, as the services' own defaults name them. */
    private static final String INDEX_ALIAS = "docstream-chunks";
    private static final String INDEX_BUILD = "1";

    private final RuntimeOptions options;
    private final StartupProgress progress;
    private final EmbeddedInfrastructure infrastructure;
    private final Map<String, ConfigurableApplicationContext> services = new LinkedHashMap<>();
    private EmbedderRegistry embedderRegistry;
    private Embedder embedder;
    private IndexTargets indexTargets;
    private SearchIndex searchIndex;
    private String apiKey;
    private boolean closed;

    private EmbeddedRuntime(RuntimeOptions options, StartupProgress progress, EmbeddedInfrastructure infrastructure) {
        this.options = options;
        this.progress = progress;
        this.infrastructure = infrastructure;
    }

    /** Starts everything, printing one line per step to {@code out}; on failure stops what had started. */
    public static EmbeddedRuntime start(RuntimeOptions options, PrintStream out) {
        return start(options, null, out);
    }

    /**
     * As {@link #start(RuntimeOptions, PrintStream)}, on Kafka brokers that run elsewhere (a replicated cluster)
     * instead of a broker of its own: topics, and the Streams apps' internal topics, replicated as {@code kafka}
     * says.
     */
    public static EmbeddedRuntime start(RuntimeOptions options, ExternalKafka kafka, PrintStream out) {
        if (System.getProperty(LOGGING_SYSTEM_PROPERTY) == null) {
            System.setProperty(LOGGING_SYSTEM_PROPERTY, "none");
        }
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        options.requirePortsFree();
        StartupProgress progress = new StartupProgress(out);
        EmbeddedRuntime runtime = new EmbeddedRuntime(options, progress,
                EmbeddedInfrastructure.start(options, kafka, progress));
        try {
            runtime.startServices(out);
            return runtime;
        } catch (RuntimeException | Error e) {
            runtime.close();
            throw e;
        }
    }

    private void startServices(PrintStream out) {
        DemoTenant.Key key = progress.step("tenant and API key", "tenant " + DemoTenant.TENANT,
                () -> DemoTenant.ensure(infrastructure.dataSource(), options.apiKeyFile(),
                        created -> DemoTenant.audit(infrastructure.bootstrapServers(), created)));
        apiKey = key.plainKey();
        if (key.created()) {
            out.println("  new API key for tenant " + DemoTenant.TENANT + ": " + apiKey);
            out.println("  (saved in " + options.apiKeyFile() + ")");
        }
        embedderRegistry = new EmbedderRegistry();
        SwitchableEmbedder switchable = progress.step("embedding model", options.model(),
                () -> new SwitchableEmbedder(embedderRegistry, options.model()));
        embedder = switchable;
        indexTargets = progress.step("Lucene index", options.dataDir().getFileName() + "/index",
                () -> LuceneIndexTargets.open(indexPath(), INDEX_ALIAS, options.model(), INDEX_BUILD));
        // The alias may name a target of another model (after a reindex): embed with that one.
        SearchIndexConfiguration.followModel(indexTargets, switchable);
        searchIndex = indexTargets.serving();
        // Consumers first, so the ingest port opens only when everything behind it is ready.
        startService("indexer", "localhost:" + options.indexerPort(), options.indexerPort(),
                IndexerApplication::builder);
        startService("invalidator", "localhost:" + options.invalidatorPort(), options.invalidatorPort(),
                InvalidatorApplication::builder);
        startService("query-api", options.queryApiUrl(), options.queryApiPort(), QueryApiApplication::builder);
        startService("ingest", options.ingestUrl(), options.ingestPort(), IngestApplication::builder);
    }

    private void startService(String name, String detail, int port, Supplier<SpringApplicationBuilder> builder) {
        ConfigurableApplicationContext context = progress.step(name, detail, () -> builder.get()
                .initializers(sharedBeans())
                .registerShutdownHook(false)
                .run(commandLine(serviceProperties(name, port))));
        services.put(name, context);
    }

    /**
     * Registers the shared model and index before refresh, so the services' own beans step aside. Streams
     * services here are the only instance of their application, so they leave their consumer group when they
     * stop: otherwise the next start waits out the old member's session timeout (45 s) before it processes
     * anything, and a stop during that wait blocks for the whole close timeout.
     */
    private ApplicationContextInitializer<ConfigurableApplicationContext> sharedBeans() {
        EmbedderRegistry sharedRegistry = embedderRegistry;
        Embedder sharedEmbedder = embedder;
        IndexTargets sharedTargets = indexTargets;
        SearchIndex sharedIndex = searchIndex;
        StreamsBuilderFactoryBeanConfigurer leaveGroupOnClose = factoryBean -> factoryBean.setLeaveGroupOnClose(true);
        return context -> {
            context.getBeanFactory().registerSingleton("embedderRegistry", sharedRegistry);
            context.getBeanFactory().registerSingleton("embedder", sharedEmbedder);
            context.getBeanFactory().registerSingleton("indexTargets", sharedTargets);
            context.getBeanFactory().registerSingleton("searchIndex", sharedIndex);
            context.getBeanFactory().registerSingleton("embeddedRuntimeLeaveGroupOnClose", leaveGroupOnClose);
        };
    }

    /**
     * Passed as command-line arguments, which outrank each service's own yml (default properties would not).
     */
    private Map<String, String> serviceProperties(String name, int port) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("server.port", Integer.toString(port));
        properties.put("spring.application.name", "docstream-" + name);
        properties.put("spring.main.banner-mode", "off");
        properties.put("spring.main.log-startup-info", "false");
        properties.put("spring.jmx.enabled", "false");
        properties.put("management.metrics.use-global-registry", "false");
        properties.put("spring.kafka.bootstrap-servers", infrastructure.bootstrapServers());
        KafkaTopicsProperties topics = infrastructure.topics();
        properties.put("docstream.kafka.replication-factor", Short.toString(topics.replicationFactor()));
        if (topics.minInsyncReplicas() != null) {
            properties.put("docstream.kafka.min-insync-replicas", topics.minInsyncReplicas().toString());
        }
        properties.put("spring.datasource.url", infrastructure.jdbcUrl());
        properties.put("spring.datasource.username", infrastructure.username());
        properties.put("spring.datasource.password", infrastructure.password());
        properties.put("spring.datasource.hikari.pool-name", name);
        properties.put("spring.datasource.hikari.maximum-pool-size", "8");
        properties.put("spring.flyway.enabled", "false");
        properties.put("docstream.redis.uri", redisUri());
        properties.put("spring.lifecycle.timeout-per-shutdown-phase", "10s");
        properties.put("docstream.streams.state-dir", options.dataDir().resolve("streams").resolve(name).toString());
        properties.put("docstream.index.lucene.path", indexPath().toString());
        properties.put("docstream.embedding.model", options.model());
        // The console (query-api's /console) writes documents and reads the DLQ on ingest, from the browser.
        if (name.startsWith("ingest")) {
            properties.put("docstream.web.cors-allowed-origins", options.queryApiUrl() + ","
                    + options.queryApiUrl().replace("//localhost:", "//127.0.0.1:"));
        }
        if (name.startsWith("query-api")) {
            properties.put("docstream.console.ingest-url", options.ingestUrl());
        }
        return properties;
    }

    private static String[] commandLine(Map<String, String> properties) {
        return properties.entrySet().stream()
                .map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
                .toArray(String[]::new);
    }

    private Path indexPath() {
        return options.dataDir().resolve("index");
    }

    /** The index targets and alias the services share (what {@code reindex} builds and switches). */
    public IndexTargets indexTargets() {
        return indexTargets;
    }

    public RuntimeOptions options() {
        return options;
    }

    public String bootstrapServers() {
        return infrastructure.bootstrapServers();
    }

    /**
     * Starts one more query API on a free port, sharing everything with the first (Redis, index, model,
     * database) but its own L1 cache and its own reader of the invalidations topic, as a second replica
     * behind a load balancer would; it stops with the runtime. Returns its base URL.
     */
    public synchronized String startQueryApiReplica() {
        return startReplica("query-api", QueryApiApplication::builder);
    }

    /**
     * Starts one more ingest on a free port, sharing the database and Kafka with the first, as a second replica
     * behind a load balancer would; it stops with the runtime. Returns its base URL.
     */
    public synchronized String startIngestReplica() {
        return startReplica("ingest", IngestApplication::builder);
    }

    /**
     * Starts one more invalidator (its Streams apps and audit log consumer join the first one's groups and split
     * the partitions with it); it stops with the runtime. Returns its base URL (health and metrics).
     */
    public synchronized String startInvalidatorReplica() {
        return startReplica("invalidator", InvalidatorApplication::builder);
    }

    private String startReplica(String service, Supplier<SpringApplicationBuilder> builder) {
        if (closed) {
            throw new IllegalStateException("the runtime is closed");
        }
        int port = FreePorts.find();
        String name = service + "-" + (services.keySet().stream().filter(s -> s.startsWith(service)).count() + 1);
        ConfigurableApplicationContext context = progress.step(name, "localhost:" + port, () -> builder.get()
                .initializers(sharedBeans())
                .registerShutdownHook(false)
                .run(commandLine(serviceProperties(name, port))));
        services.put(name, context);
        return "http://localhost:" + port;
    }

    /** Where the services reach Redis (query-api's L2 cache, the invalidator's evictions). */
    public String redisUri() {
        return "redis://127.0.0.1:" + infrastructure.redisPort();
    }

    /**
     * Kills Redis under the running services, as a crash would; {@link #restartRedis()} brings it back on the
     * same port and data. For outage drills: the services must keep answering and pick Redis up again.
     */
    public void killRedis() {
        infrastructure.killRedis();
    }

    public void restartRedis() {
        infrastructure.restartRedis();
    }

    /**
     * Stops PostgreSQL under the running services; {@link #restartPostgres()} starts it again on the same port
     * and data. For outage drills, as {@link #killRedis()}.
     */
    public void stopPostgres() {
        infrastructure.stopPostgres();
    }

    public void restartPostgres() {
        infrastructure.restartPostgres();
    }

    /**
     * The state of every Kafka Streams app the services run, by application id ({@code NOT_RUNNING} for one not
     * started yet).
     */
    public synchronized Map<String, KafkaStreams.State> streamsStates() {
        Map<String, KafkaStreams.State> states = new TreeMap<>();
        for (ConfigurableApplicationContext context : services.values()) {
            for (StreamsBuilderFactoryBean app : context.getBeansOfType(StreamsBuilderFactoryBean.class).values()) {
                KafkaStreams streams = app.getKafkaStreams();
                states.put(app.getStreamsConfiguration().getProperty(StreamsConfig.APPLICATION_ID_CONFIG),
                        streams == null ? KafkaStreams.State.NOT_RUNNING : streams.state());
            }
        }
        return states;
    }

    /** Stops the Kafka broker under the running services; {@link #restartKafka()} starts it on the same log. */
    public void stopKafka() {
        infrastructure.stopKafka();
    }

    public void restartKafka() {
        infrastructure.restartKafka();
    }

    /** The all-scopes key of tenant {@code demo}, also kept in {@link RuntimeOptions#apiKeyFile()}. */
    public String apiKey() {
        return apiKey;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Throwable> failures = new ArrayList<>();
        List<String> names = new ArrayList<>(services.keySet());
        for (String name : names.reversed()) {
            runQuietly(() -> progress.stopStep(name, services.get(name)::close), failures);
        }
        services.clear();
        if (indexTargets != null) {
            runQuietly(() -> progress.stopStep("Lucene index", indexTargets::close), failures);
        }
        if (embedder instanceof AutoCloseable closeable) {
            runQuietly(() -> {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, failures);
        }
        runQuietly(infrastructure::close, failures);
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("docstream did not stop cleanly",
                    failures.getFirst());
            failures.stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private static void runQuietly(Runnable action, List<Throwable> failures) {
        try {
            action.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }
}
