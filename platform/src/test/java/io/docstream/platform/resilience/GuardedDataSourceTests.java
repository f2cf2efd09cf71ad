package io.docstream.platform.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped under a guarded pool: acquisitions fail within the timeout until the breaker opens, then fail
 * at once without touching the pool, and once PostgreSQL is back the breaker lets trial calls through and closes.
 */
class GuardedDataSourceTests {

    @TempDir
    Path dataDirectory;

    @Test
    void failsFastWhilePostgresIsDownAndRecoversWhenItIsBack() throws Exception {
        int port = freePort();
        EmbeddedPostgres postgres = start(port);
        CallPolicy policy = RemoteCalls.defaults(RemoteCalls.POSTGRES);
        policy.setTimeout(Duration.ofMillis(500));
        policy.setSlidingWindow(4);
        policy.setMinimumCalls(4);
        policy.setOpenFor(Duration.ofSeconds(2));
        policy.setBackoff(Duration.ofMillis(20));
        RemoteCall guard = new RemoteCalls(name -> policy, null).call(RemoteCalls.POSTGRES,
                GuardedDataSource::transientFailure);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://localhost:" + port + "/postgres");
        config.setUsername("postgres");
        config.setMaximumPoolSize(2);
        config.setConnectionTimeout(policy.getTimeout().toMillis());
        config.setInitializationFailTimeout(-1);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            GuardedDataSource dataSource = new GuardedDataSource(pool, guard);
            assertThat(selectOne(dataSource)).isOne();

            postgres.close();
            pool.getHikariPoolMXBean().softEvictConnections();
            int failures = 0;
            while (guard.breaker().getState() != CircuitBreaker.State.OPEN && failures < 20) {
                assertThatThrownBy(() -> selectOne(dataSource)).isInstanceOf(SQLException.class);
                failures++;
            }
            assertThat(guard.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
            assertThat(failures).as("acquisitions, each tried twice, until the breaker opened").isLessThanOrEqualTo(4);

            long start = System.nanoTime();
            assertThatThrownBy(dataSource::getConnection).isInstanceOfSatisfying(SQLTransientConnectionException.class,
                    refused -> assertThat(refused.getSQLState()).isEqualTo("08001"));
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("refused without waiting out the pool's timeout").isLessThan(policy.getTimeout());

            postgres = start(port);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> selectOne(dataSource) == 1);
            for (int i = 0; i < policy.getHalfOpenCalls(); i++) {
                selectOne(dataSource);
            }
            assertThat(guard.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        } finally {
            postgres.close();
        }
    }

    private EmbeddedPostgres start(int port) throws IOException {
        Files.createDirectories(dataDirectory);
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setRegisterShutdownHook(false)
                .start();
    }

    private static int selectOne(GuardedDataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select 1")) {
            result.next();
            return result.getInt(1);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
