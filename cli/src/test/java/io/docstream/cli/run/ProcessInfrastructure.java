package io.docstream.cli.run;

import java.io.PrintStream;

/**
 * What {@code ./docstream run} starts before its services (Kafka, PostgreSQL with the schema, Redis, the topics,
 * tenant {@code demo} and its key), for tests that run the services as separate processes: the same start-up,
 * reached from other test packages.
 */
public final class ProcessInfrastructure implements AutoCloseable {

    private final EmbeddedInfrastructure infrastructure;
    private final String apiKey;

    private ProcessInfrastructure(EmbeddedInfrastructure infrastructure, String apiKey) {
        this.infrastructure = infrastructure;
        this.apiKey = apiKey;
    }

    /** Starts the servers on the options' data directory and ports, printing one line per step to {@code out}. */
    public static ProcessInfrastructure start(RuntimeOptions options, PrintStream out) {
        options.requirePortsFree();
        StartupProgress progress = new StartupProgress(out);
        EmbeddedInfrastructure infrastructure = EmbeddedInfrastructure.start(options, progress);
        try {
            DemoTenant.Key key = progress.step("tenant and API key", "tenant " + DemoTenant.TENANT,
                    () -> DemoTenant.ensure(infrastructure.dataSource(), options.apiKeyFile()));
            return new ProcessInfrastructure(infrastructure, key.plainKey());
        } catch (RuntimeException | Error e) {
            infrastructure.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return infrastructure.bootstrapServers();
    }

    public String jdbcUrl() {
        return infrastructure.jdbcUrl();
    }

    public String username() {
        return infrastructure.username();
    }

    public String password() {
        return infrastructure.password();
    }

    public String redisUri() {
        return "redis://127.0.0.1:" + infrastructure.redisPort();
    }

    /** The all-scopes key of tenant {@code demo}. */
    public String apiKey() {
        return apiKey;
    }

    @Override
    public void close() {
        infrastructure.close();
    }
}
