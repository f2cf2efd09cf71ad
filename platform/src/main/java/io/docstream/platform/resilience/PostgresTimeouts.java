package io.docstream.platform.resilience;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code docstream.postgres.*}: how long one statement may run and how long the driver waits for PostgreSQL to
 * answer on its socket, set on every connection of the service's pool. The statement timeout is PostgreSQL's own
 * {@code statement_timeout} (a statement stuck behind a lock or running long is cancelled by the server); the socket
 * timeout bounds a PostgreSQL that stopped answering at all (frozen, or a dead network path), where no server-side
 * timeout can fire. Each service sets its own: the query API's reads short, the indexer's writes longer. Schema
 * migrations run on a connection of their own without either.
 *
 * @param statementTimeout the longest a statement may run; 0 for no limit
 * @param socketTimeout the longest the driver waits for any answer; 0 for no limit; keep it above the statement
 *        timeout, so a slow statement is cancelled by the server (and its connection kept) before the socket gives up
 */
@ConfigurationProperties("docstream.postgres")
public record PostgresTimeouts(@DefaultValue("30s") Duration statementTimeout,
        @DefaultValue("45s") Duration socketTimeout) {

    public PostgresTimeouts {
        if (statementTimeout.isNegative() || socketTimeout.isNegative()) {
            throw new IllegalArgumentException("docstream.postgres timeouts must not be negative");
        }
    }
}
