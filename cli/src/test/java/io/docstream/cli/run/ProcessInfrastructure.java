package io.docstream.cli.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

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
                    () -> DemoTenant.ensure(infrastructure.dataSource(), options.apiKeyFile(),
                            created -> DemoTenant.audit(infrastructure.bootstrapServers(), created)));
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

    /** The single number {@code sql} answers (a count or a sum) from this infrastructure's PostgreSQL. */
    public long queryLong(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), username(), password());
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    public String redisUri() {
        return "redis://127.0.0.1:" + infrastructure.redisPort();
    }

    /**
     * The Spring properties that point a service process at these servers: its port, Kafka, PostgreSQL (the schema
     * is migrated already), Redis, its Streams state under {@code stateRoot/<service>} and the default model.
     */
    public Map<String, String> serviceProperties(String service, int port, Path stateRoot) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("server.port", Integer.toString(port));
        properties.put("spring.main.banner-mode", "off");
        properties.put("spring.kafka.bootstrap-servers", bootstrapServers());
        properties.put("spring.datasource.url", jdbcUrl());
        properties.put("spring.datasource.username", username());
        properties.put("spring.datasource.password", password());
        properties.put("spring.datasource.hikari.maximum-pool-size", "4");
        properties.put("spring.flyway.enabled", "false");
        properties.put("spring.lifecycle.timeout-per-shutdown-phase", "5s");
        properties.put("docstream.redis.uri", redisUri());
        properties.put("docstream.streams.state-dir", stateRoot.resolve(service).toString());
        properties.put("docstream.embedding.model", RuntimeOptions.DEFAULT_MODEL);
        return properties;
    }

    /** The packaged executable jar of {@code service} ({@code <service>/target/docstream-<service>-*-exec.jar}). */
    public static Optional<Path> execJar(Path cliModule, String service) throws IOException {
        Path target = cliModule.resolveSibling(service).resolve("target");
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "docstream-" + service + "-*-exec.jar")) {
            return StreamSupport.stream(jars.spliterator(), false).findFirst();
        }
    }

    /**
     * Ends a test that cannot run because packaged jars are missing: skipped on a developer's machine, failed in
     * CI ({@code CI=true}), where {@code ./mvnw verify} must have built them.
     */
    public static void missingJars(String message) {
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
    }

    /** {@code <cliModule>/target/<name>}, emptied and created anew. */
    public static Path freshWorkDirectory(Path cliModule, String name) throws IOException {
        Path work = cliModule.resolve("target").resolve(name);
        deleteRecursively(work);
        return Files.createDirectories(work);
    }

    /** Deletes {@code directory} and everything in it, if it exists. */
    public static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
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
