package io.docstream.search;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Re-reads the alias every {@code interval} so that a process follows a switch made by another one (in the
 * production shape the indexer switches, the query APIs follow within one interval). A failed read is
 * logged and retried at the next tick; the process keeps serving from the target it has.
 */
final class IndexTargetWatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IndexTargetWatcher.class);

    private final IndexTargets targets;
    private final Duration interval;
    private ScheduledExecutorService scheduler;
    private volatile boolean failing;

    IndexTargetWatcher(IndexTargets targets, Duration interval) {
        this.targets = Objects.requireNonNull(targets, "targets");
        if (interval == null || !interval.isPositive()) {
            throw new IllegalArgumentException("docstream.index.alias-poll-interval must be positive, was " + interval);
        }
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("index-alias-watcher").daemon(true).factory());
        scheduler.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    void check() {
        try {
            targets.refresh();
            if (failing) {
                log.info("Reading the {} alias {} works again", targets.name(), targets.alias());
                failing = false;
            }
        }
        catch (RuntimeException e) {
            if (!failing) {
                log.warn("Reading the {} alias {} failed; still serving from the last target: {}", targets.name(),
                        targets.alias(), e.toString());
                failing = true;
            }
        }
    }
}
