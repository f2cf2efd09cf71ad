package io.docstream.platform.resilience;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A data source whose connections are acquired through the {@code postgres} guard. Every statement needs a
 * connection, so when PostgreSQL is down the breaker opens after a few slow or failed acquisitions and the
 * callers after them get an {@link SQLTransientConnectionException} at once (SQLState 08001, answered 503 by the
 * web layer, a pause with backoff by the indexer) instead of each waiting out the pool's connection timeout.
 * Acquiring a connection is idempotent, so it is retried; the bulkhead bounds the threads waiting for one.
 */
public final class GuardedDataSource extends DelegatingDataSource {

    private static final String CONNECTION_FAILURE = "08001";

    private final RemoteCall guard;

    public GuardedDataSource(DataSource target, RemoteCall guard) {
        super(target);
        this.guard = guard;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return acquire(() -> obtainTargetDataSource().getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return acquire(() -> obtainTargetDataSource().getConnection(username, password));
    }

    /** Any failure to get a connection says PostgreSQL (or the way to it) is unhealthy. */
    static boolean transientFailure(Throwable failure) {
        return failure instanceof AcquisitionFailure;
    }

    private Connection acquire(ConnectionSupplier supplier) throws SQLException {
        try {
            return guard.callIdempotent(() -> {
                try {
                    return supplier.get();
                } catch (SQLException e) {
                    throw new AcquisitionFailure(e);
                }
            }, refused -> new AcquisitionFailure(new SQLTransientConnectionException(
                    "PostgreSQL is not called for now: " + refused.getMessage(), CONNECTION_FAILURE, refused)));
        } catch (AcquisitionFailure failure) {
            throw failure.sqlException();
        }
    }

    @FunctionalInterface
    private interface ConnectionSupplier {
        Connection get() throws SQLException;
    }

    /** Carries the checked exception through the guard's suppliers. */
    private static final class AcquisitionFailure extends RuntimeException {

        AcquisitionFailure(SQLException cause) {
            super(cause.getMessage(), cause, false, false);
        }

        SQLException sqlException() {
            return (SQLException) getCause();
        }
    }
}
