package io.docstream.platform.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.docstream.platform.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The statement and socket timeouts every pooled connection starts with, against a real PostgreSQL. */
class PostgresTimeoutsTests {

    private static final TestDatabase DATABASE = TestDatabase.shared();

    @Test
    void aStatementRunningPastTheStatementTimeoutIsCancelledByTheServerAndTheConnectionKept() throws Exception {
        try (HikariDataSource pool = pool(new PostgresTimeouts(Duration.ofMillis(700), Duration.ofSeconds(10)))) {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                assertThat(setting(statement, "statement_timeout")).isEqualTo("700ms");
                long started = System.nanoTime();
                assertThatThrownBy(() -> statement.execute("select pg_sleep(5)"))
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"));
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
                assertThat(setting(statement, "1")).as("the connection still works").isEqualTo("1");
            }
        }
    }

    @Test
    void aServerThatDoesNotAnswerIsGivenUpAfterTheSocketTimeout() throws Exception {
        // No statement timeout: only the socket bounds the wait, as with a frozen server.
        try (HikariDataSource pool = pool(new PostgresTimeouts(Duration.ZERO, Duration.ofSeconds(1)))) {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                assertThat(setting(statement, "statement_timeout")).isEqualTo("0");
                long started = System.nanoTime();
                assertThatThrownBy(() -> statement.execute("select pg_sleep(5)"))
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("08"));
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            }
        }
    }

    @Test
    void optionsTheUrlGivesAreKept() throws Exception {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(DATABASE.jdbcUrl());
        pool.setUsername(DATABASE.username());
        pool.setPassword(DATABASE.password());
        pool.addDataSourceProperty("options", "-c lock_timeout=1234");
        ResilienceConfiguration.applyTimeouts(pool, new PostgresTimeouts(Duration.ofSeconds(2), Duration.ZERO));
        try (pool; Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            assertThat(setting(statement, "statement_timeout")).isEqualTo("2s");
            assertThat(setting(statement, "lock_timeout")).isEqualTo("1234ms");
        }
    }

    private static HikariDataSource pool(PostgresTimeouts timeouts) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(DATABASE.jdbcUrl());
        pool.setUsername(DATABASE.username());
        pool.setPassword(DATABASE.password());
        pool.setMaximumPoolSize(1);
        ResilienceConfiguration.applyTimeouts(pool, timeouts);
        return pool;
    }

    /** {@code show <name>} for a setting name, else the value of the expression. */
    private static String setting(Statement statement, String nameOrExpression) throws SQLException {
        String sql = nameOrExpression.matches("[a-z_]+") ? "show " + nameOrExpression : "select " + nameOrExpression;
        try (ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }
}
