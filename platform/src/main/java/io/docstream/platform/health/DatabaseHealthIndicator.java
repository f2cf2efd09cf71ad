package io.docstream.platform.health;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * PostgreSQL is up when a pooled connection answers a validation query within the timeout. Replaces Boot's
 * {@code db} indicator (same name) to add the latency and bound the wait.
 */
public final class DatabaseHealthIndicator implements HealthIndicator {

    private final DataSource dataSource;
    private final Duration timeout;

    public DatabaseHealthIndicator(DataSource dataSource, Duration timeout) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public Health health() {
        return DependencyCheck.run(timeout, () -> {
            try (Connection connection = dataSource.getConnection()) {
                int seconds = (int) Math.max(1, timeout.toSeconds());
                if (!connection.isValid(seconds)) {
                    throw new IllegalStateException("the connection did not validate");
                }
                DatabaseMetaData metaData = connection.getMetaData();
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("database", metaData.getDatabaseProductName());
                details.put("version", metaData.getDatabaseProductVersion());
                return details;
            }
        });
    }
}
