package io.docstream.indexer.reindex;

import io.docstream.embedding.Embedder;
import io.docstream.embedding.EmbedderRegistry;
import io.docstream.indexer.embedding.CachedEmbedder;
import io.docstream.indexer.operations.GroupOperations;
import io.docstream.platform.audit.AuditActions;
import io.docstream.platform.audit.AuditTrail;
import io.docstream.platform.kafka.KafkaClients;
import io.docstream.search.IndexTarget;
import io.docstream.search.IndexTargets;
import io.docstream.search.chunking.Chunker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zero-downtime reindex: builds a new index target (another model or build) from the documents topic while the
 * current one keeps serving, follows live changes, points the alias at it once the reader's lag is within
 * {@code docstream.reindex.switch-max-lag}, and afterwards writes every change to both targets, so a
 * {@link #rollback} to the previous target loses nothing. {@link #finish} stops the reader and may drop the
 * target the alias left. One reindex at a time per indexer group ({@link GroupOperations}: any instance answers its
 * status and passes an action on to the instance running it); every operator action is audited.
 */
public final class Reindexer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Reindexer.class);
    private static final String SYSTEM = AuditActions.systemActor("indexer");
    /** How often the instance running a reindex publishes its status and looks for requests from other instances. */
    static final Duration WATCH_INTERVAL = Duration.ofMillis(500);
    /** How long an instance waits for the one running the reindex to apply a request it passed on. */
    static final Duration REQUEST_WAIT = Duration.ofSeconds(20);
    private static final String FINISH = "finish";
    private static final String FINISH_DROP_OLD = "finish-drop-old";
    private static final String SWITCH = "switch";
    private static final String ROLLBACK = "rollback";

    /** Who asked, for the audit trail. */
    record Caller(String tenant, String actor, String requestId) {
    }

    private final IndexTargets targets;
    private final EmbedderRegistry embedders;
    private final Chunker chunker;
    private final DSLContext dsl;
    private final int embedBatchSize;
    private final MeterRegistry meters;
    private final KafkaClients kafka;
    private final ReindexProperties properties;
    private final Supplier<Optional<AuditTrail>> audit;
    private final Supplier<Map<TopicPartition, Long>> indexerProgress;
    private final Clock clock;
    private final GroupOperations group;
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("reindex-watcher").daemon(true).factory());
    private final Object lock = new Object();

    private volatile ReindexState state = ReindexState.IDLE;
    private volatile long lag = -1;
    private volatile String target;
    private volatile String previous;
    private volatile String model;
    private volatile String previousModel;
    private volatile boolean autoSwitch;
    private volatile Instant startedAt;
    private volatile Instant switchedAt;
    private volatile Instant endedAt;
    private volatile String error;
    private volatile Caller starter;
    private volatile long lastRecords;
    private volatile long lastDocuments;
    private ReindexRun run;
    private TargetWriter targetWriter;
    private TargetWriter previousWriter;

    Reindexer(IndexTargets targets, EmbedderRegistry embedders, Chunker chunker, DSLContext dsl, int embedBatchSize,
            MeterRegistry meters, KafkaClients kafka, ReindexProperties properties,
            Supplier<Optional<AuditTrail>> audit, Supplier<Map<TopicPartition, Long>> indexerProgress, Clock clock,
            GroupOperations group) {
        this.targets = Objects.requireNonNull(targets, "targets");
        this.embedders = Objects.requireNonNull(embedders, "embedders");
        this.chunker = Objects.requireNonNull(chunker, "chunker");
        this.dsl = Objects.requireNonNull(dsl, "dsl");
        this.embedBatchSize = embedBatchSize;
        this.meters = Objects.requireNonNull(meters, "meters");
        this.kafka = Objects.requireNonNull(kafka, "kafka");
        this.properties = Objects.requireNonNull(properties, "properties");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.indexerProgress = Objects.requireNonNull(indexerProgress, "indexerProgress");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.group = Objects.requireNonNull(group, "group");
        watcher.scheduleWithFixedDelay(this::watch, WATCH_INTERVAL.toMillis(), WATCH_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Creates the target and starts reading into it.
     *
     * @throws IllegalArgumentException for an unknown model or a malformed build
     * @throws ReindexConflictException while another reindex runs, when the target is the alias's own, or when
     *         the target exists with vectors of another model
     */
    ReindexStatus start(ReindexRequest request, Caller caller) {
        synchronized (lock) {
            if (state.active()) {
                throw new ReindexConflictException("A reindex into " + target + " is " + state.value()
                        + "; finish it first");
            }
            if (!group.claim(GroupOperations.REINDEX)) {
                ReindexStatus running = status();
                throw new ReindexConflictException("A reindex into " + running.target() + " is " + running.state()
                        + " on another indexer instance; finish it first");
            }
            try {
                return begin(request, caller);
            }
            catch (RuntimeException e) {
                group.release(GroupOperations.REINDEX);
                throw e;
            }
        }
    }

    private ReindexStatus begin(ReindexRequest request, Caller caller) {
        IndexTarget.Ref current = targets.refresh();
        String newModel = request.model() == null || request.model().isBlank() ? current.model() : request.model();
        Embedder embedder = embedders.embedder(newModel);
        String build = request.build() == null || request.build().isBlank() ? nextBuild() : request.build();
        String name;
        try {
            name = targets.create(newModel, embedder.dimensions(), build);
        }
        catch (IllegalStateException e) {
            audit(caller, AuditActions.REINDEX_START, build, AuditActions.REFUSED);
            throw new ReindexConflictException(e.getMessage(), e);
        }
        if (name.equals(current.name())) {
            audit(caller, AuditActions.REINDEX_START, name, AuditActions.REFUSED);
            throw new ReindexConflictException("The alias " + targets.alias() + " already points at " + name
                    + "; choose another build");
        }
        targetWriter = writer(name, embedder);
        previousWriter = null;
        target = name;
        previous = current.name();
        model = newModel;
        previousModel = current.model();
        autoSwitch = request.switchAutomatically();
        startedAt = clock.instant();
        switchedAt = null;
        endedAt = null;
        error = null;
        lag = -1;
        lastRecords = 0;
        lastDocuments = 0;
        starter = caller;
        state = ReindexState.BUILDING;
        run = new ReindexRun(name, kafka, properties, List.of(targetWriter), new RunListener(),
                clock);
        Thread.ofPlatform().name("reindex-" + name).daemon(true).start(run);
        log.info("Reindexing into {} (model {}) from the documents topic; {} keeps serving", name, newModel,
                previous);
        audit(caller, AuditActions.REINDEX_START, name, AuditActions.ACCEPTED);
        return publish();
    }

    /** Points the alias at the new target now; only once the reader has caught up. */
    ReindexStatus switchAlias(Caller caller) {
        Optional<ReindexStatus> elsewhere = passOn(SWITCH, caller);
        if (elsewhere.isPresent()) {
            return elsewhere.get();
        }
        synchronized (lock) {
            boolean caughtUp = state == ReindexState.CAUGHT_UP || state == ReindexState.ROLLED_BACK
                    || (state == ReindexState.BUILDING && lag >= 0 && lag <= properties.switchMaxLag());
            if (!caughtUp) {
                throw new ReindexConflictException(state == ReindexState.BUILDING
                        ? "The reindex into " + target + " is still catching up (lag " + lag + ", switch at <= "
                                + properties.switchMaxLag() + ")"
                        : "Nothing to switch: the reindex is " + state.value());
            }
            doSwitch(caller);
            return publish();
        }
    }

    /** Points the alias back at the previous target; the reader keeps writing both. */
    ReindexStatus rollback(Caller caller) {
        Optional<ReindexStatus> elsewhere = passOn(ROLLBACK, caller);
        if (elsewhere.isPresent()) {
            return elsewhere.get();
        }
        synchronized (lock) {
            if (state != ReindexState.SWITCHED) {
                throw new ReindexConflictException("Nothing to roll back: the reindex is " + state.value());
            }
            try {
                targets.pointAliasAt(previous);
            }
            catch (RuntimeException e) {
                audit(caller, AuditActions.REINDEX_ROLLBACK, previous, AuditActions.FAILED);
                throw e;
            }
            state = ReindexState.ROLLED_BACK;
            log.info("Rolled back: alias {} points at {} again", targets.alias(), previous);
            audit(caller, AuditActions.REINDEX_ROLLBACK, previous, AuditActions.SUCCEEDED);
            return publish();
        }
    }

    /** Stops the reader; with {@code dropOld}, drops whichever of the two targets the alias does not name. */
    ReindexStatus finish(boolean dropOld, Caller caller) {
        Optional<ReindexStatus> elsewhere = passOn(dropOld ? FINISH_DROP_OLD : FINISH, caller);
        if (elsewhere.isPresent()) {
            return elsewhere.get();
        }
        ReindexRun stopping;
        String unused;
        synchronized (lock) {
            if (!state.active() && state != ReindexState.FAILED) {
                throw new ReindexConflictException("Nothing to finish: the reindex is " + state.value());
            }
            stopping = run;
            run = null;
            state = ReindexState.FINISHED;
            endedAt = clock.instant();
            String current = targets.refresh().name();
            unused = current.equals(target) ? previous : target;
        }
        if (stopping != null) {
            stopping.stop();
            lastRecords = stopping.records();
            lastDocuments = stopping.documents();
        }
        if (dropOld) {
            targets.drop(unused);
            log.info("Dropped target {}", unused);
        }
        audit(caller, AuditActions.REINDEX_FINISH, dropOld ? unused : target, AuditActions.SUCCEEDED);
        return publish();
    }

    /**
     * The group's reindex: this instance's own, or the one another instance runs (or ran last) as that instance
     * published it. Without PostgreSQL, this instance's own.
     */
    ReindexStatus status() {
        return group.status(GroupOperations.REINDEX, ReindexStatus.class, this::localStatus);
    }

    private ReindexStatus localStatus() {
        ReindexRun current = run;
        long records = current == null ? lastRecords : current.records();
        long documents = current == null ? lastDocuments : current.documents();
        Instant started = startedAt;
        Instant end = endedAt == null ? clock.instant() : endedAt;
        double seconds = started == null ? 0 : Math.max(0.001, Duration.between(started, end).toMillis() / 1000.0);
        double rate = started == null ? 0 : Math.round(documents / seconds * 10) / 10.0;
        List<IndexTarget> all;
        try {
            all = targets.list();
        }
        catch (RuntimeException e) {
            all = List.of();
        }
        String serving;
        try {
            serving = targets.current().name();
        }
        catch (RuntimeException e) {
            serving = null;
        }
        return new ReindexStatus(state.value(), targets.alias(), serving, target, previous, model, previousModel,
                autoSwitch, records, documents, rate, lag, properties.switchMaxLag(), started, switchedAt, error, all);
    }

    @Override
    public void close() {
        watcher.shutdownNow();
        ReindexRun stopping;
        synchronized (lock) {
            stopping = run;
            run = null;
        }
        if (stopping != null) {
            stopping.stop();
            try {
                group.release(GroupOperations.REINDEX);
            }
            catch (RuntimeException e) {
                log.warn("Could not release the group's reindex; another instance may start one after {}",
                        GroupOperations.STALE_AFTER, e);
            }
        }
    }

    /** Publishes this instance's status for the group (while it owns the reindex) and returns it. */
    private ReindexStatus publish() {
        ReindexStatus status = localStatus();
        try {
            group.publish(GroupOperations.REINDEX, state.active(), status);
        }
        catch (RuntimeException e) {
            log.warn("Could not publish the reindex's status to the group; trying again in {}", WATCH_INTERVAL, e);
        }
        return status;
    }

    /** While this instance runs a reindex: applies what operators asked other instances for, and publishes. */
    private void watch() {
        if (!state.active()) {
            return;
        }
        try {
            group.takeRequest(GroupOperations.REINDEX).ifPresent(this::apply);
        }
        catch (RuntimeException e) {
            log.warn("Could not apply a request for the reindex from another instance", e);
        }
        publish();
    }

    private void apply(GroupOperations.Operation request) {
        Caller caller = request.requestedBy(Caller.class);
        log.info("Applying '{}' on the reindex, asked by {} on another instance", request.requestedAction(),
                caller.actor());
        try {
            switch (request.requestedAction()) {
                case FINISH -> finish(false, caller);
                case FINISH_DROP_OLD -> finish(true, caller);
                case SWITCH -> switchAlias(caller);
                case ROLLBACK -> rollback(caller);
                default -> log.warn("Ignoring unknown reindex request '{}'", request.requestedAction());
            }
        }
        catch (ReindexConflictException e) {
            log.info("Reindex request '{}' does not fit: {}", request.requestedAction(), e.getMessage());
        }
    }

    /**
     * When another instance runs the reindex, leaves {@code action} for it and waits until it took it, then answers
     * the status it published; empty when this instance runs it (or none runs), so the caller acts itself.
     */
    private Optional<ReindexStatus> passOn(String action, Caller caller) {
        Optional<GroupOperations.Operation> shared = group.read(GroupOperations.REINDEX);
        if (group.ownedHere(shared) || !shared.orElseThrow().active()) {
            return Optional.empty();
        }
        if (!group.request(GroupOperations.REINDEX, action, caller)) {
            return Optional.empty();
        }
        Instant deadline = clock.instant().plus(REQUEST_WAIT);
        while (clock.instant().isBefore(deadline)) {
            Optional<GroupOperations.Operation> now = group.read(GroupOperations.REINDEX);
            if (now.isEmpty() || now.get().requestedAction() == null) {
                pause(WATCH_INTERVAL);
                return Optional.of(status());
            }
            pause(Duration.ofMillis(100));
        }
        throw new ReindexConflictException("The indexer instance running the reindex has not taken the '" + action
                + "' request within " + REQUEST_WAIT.toSeconds() + " s; it stays recorded for that instance");
    }

    private static void pause(Duration pause) {
        try {
            Thread.sleep(pause);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for another indexer instance", e);
        }
    }

    private void doSwitch(Caller caller) {
        try {
            if (previousWriter == null) {
                previousWriter = writer(previous, embedders.embedder(previousModel));
            }
            // Both targets from now on: a rollback, or an indexer that has not seen the switch yet, loses nothing.
            // What this reader wrote only to the new target but the indexer had not yet written to the old one
            // lies past the indexer's committed offsets (read before the switch, so a lower bound), or in the
            // indexer's in-flight batch just before them (committed when batched, written later): read again.
            boolean first = state != ReindexState.ROLLED_BACK;
            Map<TopicPartition, Long> applied = first ? rewound(indexerProgress.get()) : null;
            run.writeTo(List.of(targetWriter, previousWriter));
            if (applied != null) {
                run.rewindTo(applied);
            }
            targets.pointAliasAt(target);
        }
        catch (RuntimeException e) {
            audit(caller, AuditActions.REINDEX_SWITCH, target, AuditActions.FAILED);
            throw e;
        }
        state = ReindexState.SWITCHED;
        switchedAt = clock.instant();
        log.info("Switched: alias {} points at {} (was {})", targets.alias(), target, previous);
        audit(caller, AuditActions.REINDEX_SWITCH, target, AuditActions.SUCCEEDED);
    }

    private Map<TopicPartition, Long> rewound(Map<TopicPartition, Long> committed) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        committed.forEach((partition, offset) -> offsets.put(partition, Math.max(0, offset - properties.switchRewind())));
        return offsets;
    }

    private TargetWriter writer(String name, Embedder embedder) {
        return new TargetWriter(name, targets.open(name), chunker,
                new CachedEmbedder(embedder, dsl, embedBatchSize, meters));
    }

    /** One more than the highest numeric build among the alias's targets ({@code 2} after the first). */
    private String nextBuild() {
        long highest = 1;
        for (IndexTarget existing : targets.list()) {
            String name = existing.name();
            String build = name.substring(name.lastIndexOf("__") + 2);
            if (build.matches("\\d{1,18}")) {
                highest = Math.max(highest, Long.parseLong(build));
            }
        }
        return Long.toString(highest + 1);
    }

    private void audit(Caller caller, String action, String resource, String outcome) {
        if (caller == null) {
            return;
        }
        audit.get().ifPresent(trail -> trail.record(caller.tenant(), caller.actor(), action,
                "index-target:" + resource, outcome, caller.requestId()));
    }

    private final class RunListener implements ReindexRun.Listener {

        @Override
        public void polled(long currentLag) {
            lag = currentLag;
            if (state != ReindexState.BUILDING || currentLag < 0 || currentLag > properties.switchMaxLag()) {
                return;
            }
            synchronized (lock) {
                if (state != ReindexState.BUILDING) {
                    return;
                }
                if (!autoSwitch) {
                    state = ReindexState.CAUGHT_UP;
                    log.info("Reindex into {} caught up (lag {}); waiting for a switch", target, currentLag);
                    return;
                }
                Caller caller = starter == null ? null
                        : new Caller(starter.tenant(), SYSTEM, starter.requestId());
                try {
                    doSwitch(caller);
                }
                catch (RuntimeException e) {
                    log.warn("Switching the alias to {} failed; retrying after the next poll: {}", target,
                            e.toString());
                }
            }
        }

        @Override
        public void failed(Exception failure) {
            synchronized (lock) {
                if (run != null) {
                    lastRecords = run.records();
                    lastDocuments = run.documents();
                    run = null;
                }
                state = ReindexState.FAILED;
                endedAt = clock.instant();
                error = failure.getMessage();
            }
            publish();
            audit(starter, AuditActions.REINDEX_START, target, AuditActions.FAILED);
        }
    }
}
