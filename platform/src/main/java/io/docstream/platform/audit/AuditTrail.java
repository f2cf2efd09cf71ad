package io.docstream.platform.audit;

import io.docstream.platform.tracing.Traces;
import io.docstream.schemas.events.AuditEvent;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Where every mutation, key change and operator action is recorded: published as an
 * {@link AuditEvent} on {@code docstream.audit.v1}, from which the invalidator sinks it into the
 * partitioned {@code audit_log} table. Recording happens after the action; a failure to record is
 * counted and logged, never turned into a failure of the action that already happened.
 */
public interface AuditTrail {

    /** Records the event; returns whether the broker acknowledged it. */
    boolean record(AuditEvent event);

    /**
     * Records several events, waiting for all acknowledgements together rather than one after the other (one
     * event per document of a batch); returns whether every one was acknowledged.
     */
    default boolean recordAll(List<AuditEvent> events) {
        boolean all = true;
        for (AuditEvent event : events) {
            all &= record(event);
        }
        return all;
    }

    /** Records an action that just ended, with a new id, the current time and the current trace, if any. */
    default boolean record(String tenant, String actor, String action, String resource, String outcome,
            String requestId) {
        return record(event(tenant, actor, action, resource, outcome, requestId));
    }

    /** An event for an action that just ended: a new id, the current time and the current trace, if any. */
    static AuditEvent event(String tenant, String actor, String action, String resource, String outcome,
            String requestId) {
        return new AuditEvent(UUID.randomUUID(), tenant, actor, action, resource, outcome, requestId,
                Traces.currentTraceId(), Instant.now());
    }
}
