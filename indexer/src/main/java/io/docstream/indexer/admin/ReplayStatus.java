package io.docstream.indexer.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * What {@code GET /api/v1/admin/replay} answers: the indexer group's last replay, or {@code idle}.
 *
 * @param state          idle, running, done or failed
 * @param records        documents-topic records consumed since the start (up to the goal)
 * @param total          records between the start offsets and the end offsets at the start
 * @param lag            records still to consume before the goal
 * @param reapplied      commands of an already applied version indexed again
 * @param skipped        such commands of other tenants skipped by a tenant-scoped replay
 * @param embeddedChunks chunks the model had to embed while the replay ran (0 with a warm cache)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ReplayStatus(String state, String from, String tenant, Instant startedAt, Instant finishedAt, Long records,
        Long total, Double docsPerSecond, Long lag, Long etaSeconds, Long reapplied, Long skipped,
        Long embeddedChunks, String error) {

    static final String IDLE = "idle";
    static final String RUNNING = "running";
    static final String DONE = "done";
    static final String FAILED = "failed";

    static ReplayStatus idle() {
        return new ReplayStatus(IDLE, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * This status as an admin of {@code caller} may see it: a replay scoped to another tenant shows its state and
     * its progress through the topic, but neither that tenant nor what was counted of its documents, nor its error.
     */
    ReplayStatus seenBy(String caller) {
        if (tenant == null || tenant.equals(caller)) {
            return this;
        }
        return new ReplayStatus(state, from, null, startedAt, finishedAt, records, total, docsPerSecond, lag,
                etaSeconds, null, null, null, null);
    }
}
