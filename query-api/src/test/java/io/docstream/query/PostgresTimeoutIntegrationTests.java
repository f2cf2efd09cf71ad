package io.docstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.tenancy.Scope;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL that does not answer in time is a bounded wait, not a hung request: a document read stuck behind a
 * lock is cancelled by the server at the query API's statement timeout ({@code docstream.postgres.statement-timeout},
 * 5 s) and answered 503 with a problem, and the next read after the lock is gone works.
 */
class PostgresTimeoutIntegrationTests extends QueryApiTestSupport {

    private static final String TENANT = "pg-timeouts";
    private static final String KEY = createKey(TENANT, Scope.SEARCH);
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(5);

    @Test
    void aReadStuckBehindALockIsAnswered503AtTheStatementTimeoutAndTheNextReadWorks() throws Exception {
        seed(TENANT, "locked", "Behind a lock", "A document whose table is locked while it is read.", Map.of(), 1);
        seed(TENANT, "warm-up", "Warm-up", "Read first, so the first request's start-up work is not timed.", Map.of(), 1);
        assertThat(get("/api/v1/documents/warm-up", KEY).statusCode()).isEqualTo(200);

        HttpResponse<String> answer;
        long took;
        try (Connection locker = DATABASE.dataSource().getConnection(); Statement lock = locker.createStatement()) {
            locker.setAutoCommit(false);
            lock.execute("lock table documents in access exclusive mode");
            long started = System.nanoTime();
            answer = get("/api/v1/documents/locked", KEY);
            took = System.nanoTime() - started;
            locker.rollback();
        }

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(Duration.ofNanos(took)).as("bounded by the statement timeout")
                .isLessThan(STATEMENT_TIMEOUT.plusSeconds(1));
        HttpResponse<String> after = get("/api/v1/documents/locked", KEY);
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        assertThat(json(after).get("version").asLong()).isEqualTo(1);
    }
}
