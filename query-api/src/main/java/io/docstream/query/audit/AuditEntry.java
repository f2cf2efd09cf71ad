package io.docstream.query.audit;

import java.time.Instant;
import java.util.UUID;

/** One row of the audit trail as the API shows it; the tenant is implied by the key that asked. */
record AuditEntry(UUID id, String actor, String action, String resource, String outcome, String requestId,
        String traceId, Instant time) {
}
