package io.docstream.query.cache;

import static io.docstream.schemas.db.Tables.INDEXING_STATUS;

import io.docstream.platform.errors.NotYetConsistentException;
import io.docstream.schemas.events.ConsistencyToken;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.Record2;

/**
 * Read-your-writes on request. By default a read is answered from what this instance has applied, which trails
 * the indexed state by the invalidation lag (bounded staleness). A read that carries consistency tokens
 * ({@code consistentWith=doc@version}, repeatable or comma-separated, or the {@code Consistent-With} header), as
 * ingest hands them out, is answered only once this instance serves each token's version or a newer one: its
 * invalidation was applied here (known without I/O), or PostgreSQL records the version searchable at a
 * generation this instance has reached (a change made before this instance joined the stream). It waits for that
 * at most {@code docstream.cache.consistency-wait}, then answers 503 {@code not-yet-consistent}.
 */
public final class ReadConsistency {

    private static final long WAKE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long DATABASE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final QueryCaches caches;
    private final DSLContext dsl;
    private final Duration maxWait;

    ReadConsistency(QueryCaches caches, DSLContext dsl, Duration maxWait) {
        this.caches = Objects.requireNonNull(caches, "caches");
        this.dsl = Objects.requireNonNull(dsl, "dsl");
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
    }

    /** Whether this instance serves every token's version now, judged without I/O (false when unsure). */
    public boolean reached(String tenant, List<ConsistencyToken> tokens) {
        for (ConsistencyToken token : tokens) {
            if (!caches.applied(tenant, token.documentId(), token.version())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns once this instance serves every token's version.
     *
     * @throws NotYetConsistentException when that takes longer than the configured wait
     */
    public void await(String tenant, List<ConsistencyToken> tokens) {
        if (tokens.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        List<ConsistencyToken> pending = new ArrayList<>(tokens);
        long nextDatabaseCheck = System.nanoTime();
        while (true) {
            pending.removeIf(token -> caches.applied(tenant, token.documentId(), token.version()));
            long now = System.nanoTime();
            if (!pending.isEmpty() && now - nextDatabaseCheck >= 0) {
                pending.removeIf(token -> provenByDatabase(tenant, token));
                nextDatabaseCheck = now + DATABASE_EVERY_NANOS;
            }
            if (pending.isEmpty()) {
                return;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw notYetConsistent(pending);
            }
            try {
                caches.awaitApplied(Math.min(remaining, WAKE_NANOS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw notYetConsistent(pending);
            }
        }
    }

    /**
     * True when PostgreSQL records the token's version (or a newer one) searchable and this instance serves it: it
     * has reached the generation the change moved the tenant to, or it reads the generation from Redis per request
     * (it does not follow the stream for the tenant), which reflects every change recorded searchable.
     */
    private boolean provenByDatabase(String tenant, ConsistencyToken token) {
        var s = INDEXING_STATUS;
        Record2<Long, Long> row = dsl.select(s.SEARCHABLE_VERSION, s.SEARCHABLE_GENERATION).from(s)
                .where(s.TENANT_ID.eq(tenant), s.DOCUMENT_ID.eq(token.documentId()))
                .fetchOne();
        if (row == null || row.value1() == null || row.value1() < token.version()) {
            return false;
        }
        Long generation = row.value2();
        boolean served = !caches.followed(tenant) || generation == null
                || generation <= caches.knownGeneration(tenant);
        if (served) {
            caches.rememberApplied(tenant, token.documentId(), row.value1());
        }
        return served;
    }

    private NotYetConsistentException notYetConsistent(List<ConsistencyToken> pending) {
        return new NotYetConsistentException("This instance did not reach " + pending + " within "
                + maxWait.toMillis() + " ms: the version is not searchable yet (see the document's status; a failed"
                + " version never becomes searchable), or invalidations are late. Retry, or read without the token.",
                Duration.ofSeconds(1));
    }
}
