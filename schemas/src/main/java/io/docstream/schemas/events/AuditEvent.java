package io.docstream.schemas.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** Something that changed the system, who did it and how it ended; keyed by tenant. */
public record AuditEvent(
        int schemaVersion,
        UUID id,
        String tenant,
        String actor,
        String action,
        String resource,
        String outcome,
        String requestId,
        String traceId,
        Instant time) {

    public static final int SCHEMA_VERSION = 1;

    public AuditEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(time, "time");
    }

    public AuditEvent(UUID id, String tenant, String actor, String action, String resource, String outcome,
            String requestId, String traceId, Instant time) {
        this(SCHEMA_VERSION, id, tenant, actor, action, resource, outcome, requestId, traceId, time);
    }
}
