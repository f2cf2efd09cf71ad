package io.docstream.ingest.documents;

import io.docstream.ingest.status.IndexingStatuses;
import io.docstream.schemas.events.DocumentCommand;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Records the accepted status of commands Kafka already holds, waiting for PostgreSQL at most
 * {@code docstream.ingest.status-write-wait}. The status row is a convenience for status polls (the indexer's own
 * status write repairs a missing one), so a PostgreSQL that hangs must not hold the 202 until the pool's socket
 * timeout: past the wait the answer goes out and the write finishes, or fails, in the background. Writes that
 * cannot even be queued (PostgreSQL hung for long under a stream of writes) are dropped with a warning.
 */
final class AcceptedStatusWrites implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AcceptedStatusWrites.class);

    private final IndexingStatuses statuses;
    private final Duration wait;
    private final ThreadPoolExecutor writers;

    AcceptedStatusWrites(IndexingStatuses statuses, Duration wait) {
        this.statuses = Objects.requireNonNull(statuses, "statuses");
        this.wait = Objects.requireNonNull(wait, "wait");
        AtomicInteger created = new AtomicInteger();
        this.writers = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1_000),
                task -> Thread.ofPlatform().daemon(true).name("accepted-status-" + created.incrementAndGet())
                        .unstarted(task));
        this.writers.allowCoreThreadTimeOut(true);
    }

    /** Records {@code commands} as accepted; returns once that is done, failed, or has taken the wait. */
    void record(List<? extends DocumentCommand> commands) {
        Future<?> write;
        try {
            write = writers.submit(() -> statuses.recordAccepted(commands));
        } catch (RejectedExecutionException e) {
            log.warn("could not record accepted status for {} command(s): too many status writes waiting for"
                    + " PostgreSQL", commands.size());
            return;
        }
        try {
            write.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            log.warn("PostgreSQL did not record the accepted status of {} command(s) within {}; answered without"
                    + " it, the write goes on in the background", commands.size(), wait);
        } catch (ExecutionException e) {
            // Kafka has the commands, so they are accepted; the indexer's own status write repairs this.
            log.warn("could not record accepted status for {} command(s): {}", commands.size(),
                    e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void destroy() {
        writers.shutdown();
    }
}
