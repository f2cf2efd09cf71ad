package io.docstream.cli.run;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.docstream.platform.kafka.KafkaTopicsProperties;
import io.docstream.schemas.topics.Topics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.flywaydb.core.Flyway;

/**
 * The servers the four services need (Kafka, PostgreSQL, Redis), started in this JVM on the data directory,
 * with the schema migrated and the topics created, so services can start with Flyway and topic creation off.
 * Kafka can be brokers that run elsewhere instead ({@link ExternalKafka}).
 */
final class EmbeddedInfrastructure implements AutoCloseable {

    private volatile EmbeddedKafka kafka;
    private final ExternalKafka externalKafka;
    private volatile EmbeddedPostgresServer postgres;
    private EmbeddedRedis redis;
    private HikariDataSource dataSource;
    private boolean closed;

    private final StartupProgress progress;
    private RuntimeOptions options;

    private EmbeddedInfrastructure(StartupProgress progress, ExternalKafka externalKafka) {
        this.progress = progress;
        this.externalKafka = externalKafka;
    }

    static EmbeddedInfrastructure start(RuntimeOptions options, StartupProgress progress) {
        return start(options, null, progress);
    }

    /** With {@code externalKafka} null, a broker of its own on the data directory. */
    static EmbeddedInfrastructure start(RuntimeOptions options, ExternalKafka externalKafka,
            StartupProgress progress) {
        EmbeddedInfrastructure infrastructure = new EmbeddedInfrastructure(progress, externalKafka);
        try {
            infrastructure.startAll(options, progress);
            return infrastructure;
        } catch (RuntimeException | Error e) {
            infrastructure.close();
            throw e;
        }
    }

    private void startAll(RuntimeOptions options, StartupProgress progress) {
        this.options = options;
        if (externalKafka == null) {
            kafka = startKafka();
        }
        postgres = startPostgres();
        redis = progress.step("Redis", "localhost:" + options.redisPort(),
                () -> EmbeddedRedis.start(options.dataDir().resolve("redis"), options.redisPort()));
        dataSource = newDataSource();
        progress.step("schema and topics", "Flyway, " + Topics.ALL.size() + " topics", () -> {
            migrate(dataSource);
            createMissingTopics(bootstrapServers(), topics());
            return null;
        });
    }

    String bootstrapServers() {
        return externalKafka != null ? externalKafka.bootstrapServers() : kafka.bootstrapServers();
    }

    /** How docstream's topics are replicated: one replica on the runtime's own broker. */
    KafkaTopicsProperties topics() {
        return externalKafka != null ? externalKafka.topics() : new KafkaTopicsProperties((short) 1, null);
    }

    String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    String username() {
        return EmbeddedPostgresServer.USERNAME;
    }

    String password() {
        return EmbeddedPostgresServer.PASSWORD;
    }

    int redisPort() {
        return redis.port();
    }

    void killRedis() {
        redis.kill();
    }

    void restartRedis() {
        redis.restart();
    }

    /** Stops PostgreSQL under the running services (a clean shutdown: connections drop, nothing is lost). */
    synchronized void stopPostgres() {
        progress.stopStep("PostgreSQL", postgres::close);
    }

    /** Starts PostgreSQL again on the same port and data directory. */
    synchronized void restartPostgres() {
        postgres = startPostgres();
    }

    /** Stops the Kafka broker under the running services; its log and committed offsets stay on disk. */
    synchronized void stopKafka() {
        requireOwnKafka();
        progress.stopStep("Kafka", kafka::close);
    }

    /** Starts the broker again on the same port and log directory. */
    synchronized void restartKafka() {
        requireOwnKafka();
        kafka = startKafka();
    }

    private void requireOwnKafka() {
        if (externalKafka != null) {
            throw new IllegalStateException("Kafka runs outside the runtime (" + externalKafka.bootstrapServers()
                    + "); stop and start its brokers there");
        }
    }

    private EmbeddedKafka startKafka() {
        return progress.step("Kafka (KRaft)", "localhost:" + options.kafkaPort(),
                () -> EmbeddedKafka.start(options.dataDir().resolve("kafka"), options.kafkaPort()));
    }

    private EmbeddedPostgresServer startPostgres() {
        return progress.step("PostgreSQL", "localhost:" + options.postgresPort(),
                () -> EmbeddedPostgresServer.start(options.dataDir().resolve("postgres"), options.postgresPort()));
    }

    /** A small pool for the runtime's own bootstrap work (migrations, the demo tenant and key). */
    DataSource dataSource() {
        return dataSource;
    }

    private HikariDataSource newDataSource() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.jdbcUrl());
        config.setUsername(username());
        config.setPassword(password());
        config.setMaximumPoolSize(2);
        config.setPoolName("docstream-runtime");
        return new HikariDataSource(config);
    }

    private static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    private static void createMissingTopics(String bootstrapServers, KafkaTopicsProperties topics) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.newTopics().stream()
                    .filter(topic -> !existing.contains(topic.name()))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create the docstream topics", e);
        }
    }

    private static void closeUnchecked(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops Redis, then Kafka, then PostgreSQL; safe to call twice and after a failed start. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        Map<String, AutoCloseable> servers = new LinkedHashMap<>();
        servers.put("Redis", redis);
        servers.put("Kafka", kafka);
        servers.put("PostgreSQL", postgres);
        if (dataSource != null) {
            dataSource.close();
        }
        for (Map.Entry<String, AutoCloseable> server : servers.entrySet()) {
            if (server.getValue() == null) {
                continue;
            }
            try {
                progress.stopStep(server.getKey(), () -> closeUnchecked(server.getValue()));
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = new IllegalStateException("the embedded infrastructure did not stop cleanly", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
