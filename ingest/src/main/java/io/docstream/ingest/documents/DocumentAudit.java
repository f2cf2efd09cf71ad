package io.docstream.ingest.documents;

import io.docstream.platform.audit.AuditActions;
import io.docstream.platform.audit.AuditTrail;
import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.docstream.schemas.events.AuditEvent;
import io.docstream.schemas.events.DeleteDocument;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.UpsertDocument;
import java.util.List;
import java.util.Objects;

/**
 * Audits accepted document commands: one {@code document.upsert} or {@code document.delete} event per
 * document (a batch of 100 is 100 events), by the calling key, with the request's id. Runs after Kafka
 * acknowledged the commands, so an audit failure never turns an accepted request into an error.
 */
final class DocumentAudit {

    private final AuditTrail audit;

    DocumentAudit(AuditTrail audit) {
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    void accepted(ApiKeyPrincipal principal, List<? extends DocumentCommand> commands, String requestId) {
        String actor = AuditActions.keyActor(principal.keyId());
        List<AuditEvent> events = commands.stream()
                .map(command -> AuditTrail.event(command.tenant(), actor, action(command), resource(command),
                        AuditActions.ACCEPTED, requestId))
                .toList();
        audit.recordAll(events);
    }

    static String action(DocumentCommand command) {
        return switch (command) {
            case UpsertDocument upsert -> AuditActions.DOCUMENT_UPSERT;
            case DeleteDocument delete -> AuditActions.DOCUMENT_DELETE;
        };
    }

    /** {@code document:<tenant>/<id>@<version>}, the form the invalidator's events name the same version by. */
    static String resource(DocumentCommand command) {
        return "document:" + command.tenant() + "/" + command.documentId() + "@" + command.version();
    }
}
