package io.docstream.invalidator.audit;

import io.docstream.platform.audit.AuditActions;
import io.docstream.schemas.events.AuditEvent;
import io.docstream.schemas.events.QueryExecuted;

/**
 * A search as an audit record ({@code action=search}), made by the audit log sink from the query event itself: the
 * queries topic is the record of searches, so a search is not re-published on the audit topic (one produce, one
 * consume and two JSON passes less per search). The record's id is the event's, so a search read twice, or audited
 * by an earlier release through the audit topic, is one row.
 */
public final class SearchAudits {

    private SearchAudits() {
    }

    /** The search as an audit record: who (the key) asked what (the query, or its hash), when, how answered. */
    public static AuditEvent of(QueryExecuted query) {
        String actor = query.keyId() == null || query.keyId().isBlank() ? AuditActions.systemActor("unknown")
                : AuditActions.keyActor(query.keyId());
        String asked = query.normalizedQuery() != null ? "query \"" + query.normalizedQuery() + "\""
                : "query sha256:" + query.normalizedQueryHash();
        String resource = asked + " (" + query.mode() + ", " + query.cacheLayer()
                + (query.degraded().isEmpty() ? "" : ", degraded " + String.join(",", query.degraded())) + ")";
        return new AuditEvent(query.id(), query.tenant(), actor, AuditActions.SEARCH, resource,
                AuditActions.SUCCEEDED, query.requestId(), query.traceId(), query.executedAt());
    }
}
