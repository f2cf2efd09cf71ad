package io.docstream.platform.testing;

import static io.docstream.schemas.db.Tables.TENANTS;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * One real PostgreSQL per test JVM, migrated with the Flyway migrations shipped in the schemas jar.
 * Started lazily by {@link #shared()} and stopped by a shutdown hook; tests isolate themselves with
 * {@link #truncateAll()} rather than a fresh server, since starting one costs seconds.
 */
public final class TestDatabase {

    private static final String DATABASE = "postgres";
    private static final String USERNAME = "postgres";
    private static final String PASSWORD = "postgres";

    private static TestDatabase shared;

    private final EmbeddedPostgres postgres;
    private final HikariDataSource dataSource;
    private final DSLContext dsl;

    private TestDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl());
        config.setUsername(USERNAME);
        config.setPassword(PASSWORD);
        config.setMaximumPoolSize(8);
        config.setPoolName("test-database");
        this.dataSource = new HikariDataSource(config);
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES);
    }

    /** The JVM-wide database, started and migrated on first use. */
    public static synchronized TestDatabase shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    private static TestDatabase start() {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        try {
            // Durability buys nothing in tests and costs a lot on a small machine.
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "300")
                    .start();
            TestDatabase database = new TestDatabase(postgres);
            Runtime.getRuntime().addShutdownHook(new Thread(database::stop, "test-database-stop"));
            return database;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(USERNAME, DATABASE);
    }

    public String username() {
        return USERNAME;
    }

    public String password() {
        return PASSWORD;
    }

    /** jOOQ over {@link #dataSource()}, POSTGRES dialect. */
    public DSLContext dsl() {
        return dsl;
    }

    /** Empties every table but Flyway's history, so each test starts from a migrated, empty schema. */
    public void truncateAll() {
        List<String> tables = dsl.fetchValues("""
                select quote_ident(c.relname)
                from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
                  and c.relname <> 'flyway_schema_history'
                """).stream().map(String::valueOf).toList();
        if (!tables.isEmpty()) {
            dsl.execute("truncate table " + String.join(", ", tables) + " cascade");
        }
    }

    /** Creates the tenant if it does not exist yet; most tables reference one. */
    public void ensureTenant(String tenant) {
        dsl.insertInto(TENANTS, TENANTS.TENANT_ID).values(tenant).onConflictDoNothing().execute();
    }

    private void stop() {
        dataSource.close();
        try {
            postgres.close();
        } catch (IOException e) {
            // the JVM is exiting; a server that will not stop cleanly is reaped with it
        }
    }
}
