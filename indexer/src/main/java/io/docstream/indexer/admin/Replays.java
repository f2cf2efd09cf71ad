package io.docstream.indexer.admin;

import io.docstream.indexer.indexing.ReplayScope;
import io.docstream.indexer.operations.GroupOperations;
import io.docstream.platform.audit.AuditActions;
import io.docstream.platform.audit.AuditTrail;
import io.docstream.platform.errors.ConflictException;
import io.docstream.platform.errors.InvalidInputException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * Runs replays of the documents topic through this instance's indexer: refuses while the indexer group has
 * members (or, when asked, stops this instance's Streams and refuses only if other instances remain), moves
 * the group to the start offsets, records the partitions' ends as the goal and starts Streams again. The
 * version guard re-applies every document's newest version, idempotently, and the embedding cache makes
 * that embed nothing. A watcher marks the replay done once the committed offsets reach the goal. The replay is
 * the group's: it is published in PostgreSQL ({@link GroupOperations}), so every instance answers its status and
 * refuses a second one.
 */
final class Replays implements DisposableBean {

    static final String INDEXER_ACTIVE = "indexer-active";
    static final String REPLAY_RUNNING = "replay-running";
    static final String EMBEDDING_MISSES = "docstream.indexer.embedding.cache.misses";

    private static final Logger log = LoggerFactory.getLogger(Replays.class);

    private final StreamsBuilderFactoryBean streams;
    private final IndexerGroup group;
    private final ReplayScope scope;
    private final ObjectProvider<AuditTrail> audit;
    private final MeterRegistry meters;
    private final ReplayProperties properties;
    private final Clock clock;
    private final GroupOperations operations;
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("replay-watcher").daemon(true).factory());
    private Replay current;
    private ScheduledFuture<?> watch;

    Replays(StreamsBuilderFactoryBean streams, IndexerGroup group, ReplayScope scope, ObjectProvider<AuditTrail> audit,
            MeterRegistry meters, ReplayProperties properties, Clock clock, GroupOperations operations) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.group = Objects.requireNonNull(group, "group");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.properties = Objects.requireNonNull(properties, "properties");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.operations = Objects.requireNonNull(operations, "operations");
    }

    /** Who asked for a replay, for the audit trail. */
    record Caller(String tenant, String actor, String requestId) {
    }

    /** Starts a replay and returns its first status; a refusal is a 409 problem, bad offsets a 400. */
    synchronized ReplayStatus start(ReplayFrom from, String tenant, boolean stopIndexer, Caller caller) {
        String resource = resource(from, tenant);
        if (current != null && current.state.equals(ReplayStatus.RUNNING)) {
            record(caller, resource, AuditActions.REFUSED);
            throw conflict(REPLAY_RUNNING, "Replay running", "A replay from " + current.from.describe()
                    + " started at " + current.startedAt + " is still running; follow it with GET"
                    + " /api/v1/admin/replay.", List.of());
        }
        if (!operations.claim(GroupOperations.REPLAY)) {
            record(caller, resource, AuditActions.REFUSED);
            ReplayStatus running = status();
            throw conflict(REPLAY_RUNNING, "Replay running", "A replay from " + running.from() + " started at "
                    + running.startedAt() + " is running on another indexer instance; follow it with GET"
                    + " /api/v1/admin/replay.", List.of());
        }
        try {
            return begin(from, tenant, stopIndexer, caller, resource);
        } catch (RuntimeException e) {
            operations.release(GroupOperations.REPLAY);
            throw e;
        }
    }

    private ReplayStatus begin(ReplayFrom from, String tenant, boolean stopIndexer, Caller caller, String resource) {
        Map<TopicPartition, Long> earliest = group.offsets(OffsetSpec.earliest());
        Map<TopicPartition, Long> latest = group.offsets(OffsetSpec.latest());
        Map<TopicPartition, Long> targets = targets(from, earliest, latest);
        List<String> members = group.members();
        if (!members.isEmpty()) {
            if (!stopIndexer) {
                record(caller, resource, AuditActions.REFUSED);
                throw conflict(INDEXER_ACTIVE, "Indexer active", "The indexer group '" + group.groupId()
                        + "' has active members " + members + "; stop them first, or let this instance stop its"
                        + " own indexer (stopIndexer=true, './docstream replay --stop-indexer').", members);
            }
            stopStreams();
            if (!group.awaitEmpty(properties.stopTimeout())) {
                List<String> remaining = group.members();
                startStreams();
                record(caller, resource, AuditActions.REFUSED);
                throw conflict(INDEXER_ACTIVE, "Indexer active", "This instance stopped its indexer, but the group '"
                        + group.groupId() + "' still has members " + remaining + " after "
                        + properties.stopTimeout().toSeconds() + " s; stop the other indexer instances first. This"
                        + " instance's indexer is running again.", remaining);
            }
        }
        try {
            Map<TopicPartition, Long> committed = group.committed();
            Map<TopicPartition, Long> start = new HashMap<>();
            earliest.forEach((partition, offset) -> start.put(partition,
                    targets.getOrDefault(partition, committed.getOrDefault(partition, offset))));
            Map<TopicPartition, Long> goal = group.offsets(OffsetSpec.latest());
            group.moveTo(targets);
            scope.begin(tenant);
            current = new Replay(from, tenant, caller, resource, clock.instant(), start, goal, embeddingMisses());
        } finally {
            startStreams();
        }
        record(caller, resource, AuditActions.ACCEPTED);
        log.info("Replay from {} started for {} ({} records to the goal)", from.describe(),
                tenant == null ? "every tenant" : "tenant " + tenant, current.progress.total());
        refresh();
        if (current.state.equals(ReplayStatus.RUNNING)) {
            watch = watcher.scheduleWithFixedDelay(this::check, properties.checkInterval().toMillis(),
                    properties.checkInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
        return publish();
    }

    /**
     * The group's current or last replay: this instance's own, its progress read from the group's committed offsets
     * now, or the one another instance runs (or ran last) as that instance published it. Without PostgreSQL, this
     * instance's own.
     */
    synchronized ReplayStatus status() {
        return operations.status(GroupOperations.REPLAY, ReplayStatus.class, this::localStatus);
    }

    private ReplayStatus localStatus() {
        if (current == null) {
            return ReplayStatus.idle();
        }
        if (current.state.equals(ReplayStatus.RUNNING)) {
            refresh();
        }
        return snapshot();
    }

    @Override
    public void destroy() {
        watcher.shutdownNow();
    }

    private synchronized void check() {
        if (current == null || !current.state.equals(ReplayStatus.RUNNING)) {
            return;
        }
        try {
            KafkaStreams running = streams.getKafkaStreams();
            KafkaStreams.State state = running == null ? KafkaStreams.State.NOT_RUNNING : running.state();
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                    || state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.PENDING_SHUTDOWN) {
                finish(ReplayStatus.FAILED, "the indexer stopped before the replay reached its goal (" + state + ")");
                return;
            }
            refresh();
            publish();
        } catch (RuntimeException e) {
            log.warn("Could not check the replay's progress; trying again", e);
        }
    }

    /** Reads the committed offsets, and finishes the replay when they reached the goal. */
    private ReplayProgress refresh() {
        Replay replay = current;
        replay.progress = ReplayProgress.of(replay.start, replay.goal, group.committed());
        if (replay.progress.complete()) {
            finish(ReplayStatus.DONE, null);
        }
        return replay.progress;
    }

    private void finish(String state, String error) {
        Replay replay = current;
        replay.reapplied = scope.reapplied();
        replay.skipped = scope.skipped();
        replay.embedded = embeddingMisses() - replay.missesAtStart;
        replay.finishedAt = clock.instant();
        replay.state = state;
        replay.error = error;
        scope.end();
        if (watch != null) {
            watch.cancel(false);
        }
        log.info("Replay from {} {}: {} records in {}, {} re-applied, {} skipped, {} chunks embedded{}",
                replay.from.describe(), state, replay.progress.records(),
                Duration.between(replay.startedAt, replay.finishedAt), replay.reapplied, replay.skipped,
                replay.embedded, error == null ? "" : " (" + error + ")");
        record(replay.caller, replay.resource,
                state.equals(ReplayStatus.DONE) ? AuditActions.SUCCEEDED : AuditActions.FAILED);
        publish();
    }

    /** Publishes this instance's replay for the group (while it owns it) and returns its status. */
    private ReplayStatus publish() {
        ReplayStatus status = snapshot();
        try {
            operations.publish(GroupOperations.REPLAY, status.state().equals(ReplayStatus.RUNNING), status);
        } catch (RuntimeException e) {
            log.warn("Could not publish the replay's status to the group; trying again at the next check", e);
        }
        return status;
    }

    private ReplayStatus snapshot() {
        Replay replay = current;
        boolean running = replay.state.equals(ReplayStatus.RUNNING);
        Instant end = running ? clock.instant() : replay.finishedAt;
        Duration elapsed = Duration.between(replay.startedAt, end);
        ReplayProgress progress = replay.progress;
        return new ReplayStatus(replay.state, replay.from.describe(), replay.tenant, replay.startedAt,
                replay.finishedAt, progress.records(), progress.total(),
                Math.round(progress.perSecond(elapsed) * 10) / 10.0, progress.lag(),
                running ? progress.etaSeconds(elapsed) : Long.valueOf(0L),
                running ? scope.reapplied() : replay.reapplied, running ? scope.skipped() : replay.skipped,
                running ? embeddingMisses() - replay.missesAtStart : replay.embedded, replay.error);
    }

    private Map<TopicPartition, Long> targets(ReplayFrom from, Map<TopicPartition, Long> earliest,
            Map<TopicPartition, Long> latest) {
        return switch (from) {
            case ReplayFrom.Earliest e -> earliest;
            case ReplayFrom.Timestamp timestamp -> group.offsets(OffsetSpec.forTimestamp(timestamp.time().toEpochMilli()));
            case ReplayFrom.Offsets offsets -> given(offsets, earliest, latest);
        };
    }

    private static Map<TopicPartition, Long> given(ReplayFrom.Offsets offsets, Map<TopicPartition, Long> earliest,
            Map<TopicPartition, Long> latest) {
        Map<TopicPartition, Long> targets = new HashMap<>();
        offsets.byPartition().forEach((partition, offset) -> {
            TopicPartition topicPartition = earliest.keySet().stream()
                    .filter(candidate -> candidate.partition() == partition)
                    .findFirst()
                    .orElseThrow(() -> new InvalidInputException("The documents topic has no partition "
                            + partition + " (it has " + earliest.size() + ")."));
            long first = earliest.get(topicPartition);
            long end = latest.get(topicPartition);
            if (offset < first || offset > end) {
                throw new InvalidInputException("Offset " + offset + " of partition " + partition
                        + " is outside the records the topic holds (" + first + ".." + end + ").");
            }
            targets.put(topicPartition, offset);
        });
        return targets;
    }

    private void stopStreams() {
        KafkaStreams running = streams.getKafkaStreams();
        if (running != null) {
            // Leave the group now rather than after the session timeout, so the offsets can be moved at once.
            running.close(CloseOptions.timeout(properties.stopTimeout())
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
        streams.stop();
    }

    private void startStreams() {
        streams.start();
    }

    private long embeddingMisses() {
        return (long) meters.find(EMBEDDING_MISSES).counters().stream().mapToDouble(Counter::count).sum();
    }

    private void record(Caller caller, String resource, String outcome) {
        audit.ifAvailable(trail -> trail.record(caller.tenant(), caller.actor(), AuditActions.REPLAY, resource,
                outcome, caller.requestId()));
    }

    private static String resource(ReplayFrom from, String tenant) {
        return "documents from " + from.describe() + (tenant == null ? "" : " for tenant " + tenant);
    }

    private static ConflictException conflict(String kind, String title, String detail, List<String> members) {
        return new ConflictException(kind, title, detail, members.isEmpty() ? Map.of() : Map.of("members", members));
    }

    /** One replay's fixed facts and its mutable outcome, guarded by the enclosing instance. */
    private static final class Replay {
        final ReplayFrom from;
        final String tenant;
        final Caller caller;
        final String resource;
        final Instant startedAt;
        final Map<TopicPartition, Long> start;
        final Map<TopicPartition, Long> goal;
        final long missesAtStart;
        String state = ReplayStatus.RUNNING;
        ReplayProgress progress;
        Instant finishedAt;
        long reapplied;
        long skipped;
        long embedded;
        String error;

        Replay(ReplayFrom from, String tenant, Caller caller, String resource, Instant startedAt,
                Map<TopicPartition, Long> start, Map<TopicPartition, Long> goal, long missesAtStart) {
            this.from = from;
            this.tenant = tenant;
            this.caller = caller;
            this.resource = resource;
            this.startedAt = startedAt;
            this.start = Map.copyOf(start);
            this.goal = Map.copyOf(goal);
            this.missesAtStart = missesAtStart;
            this.progress = ReplayProgress.of(start, goal, start);
        }
    }
}
