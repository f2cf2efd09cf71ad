package io.docstream.invalidator.invalidation;

import io.docstream.platform.audit.AuditActions;
import io.docstream.schemas.events.AuditEvent;
import io.docstream.schemas.events.DocumentIndexed;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The audit event of an indexed or deleted document version. Its id is derived from the version, so the
 * same version read again (a retried transaction, a replay) yields the same event and the sink's row stays one.
 */
final class IndexedAudit {

    static final String ACTOR = AuditActions.systemActor("indexer");

    private IndexedAudit() {
    }

    static AuditEvent of(DocumentIndexed event, String traceId) {
        return new AuditEvent(id(event), event.tenant(), ACTOR, action(event),
                "document:" + event.tenant() + "/" + event.documentId() + "@" + event.version(),
                AuditActions.SUCCEEDED, null, traceId, event.indexedAt());
    }

    /** {@code document.indexed} or {@code document.deleted}: the audit action and the invalidation reason. */
    static String action(DocumentIndexed event) {
        return event.deleted() ? AuditActions.DOCUMENT_DELETED : AuditActions.DOCUMENT_INDEXED;
    }

    /** Name-based, so the same version always gets the same id. */
    static UUID id(DocumentIndexed event) {
        String name = event.tenant() + "/" + event.documentId() + "/" + event.version() + "/" + event.deleted();
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
