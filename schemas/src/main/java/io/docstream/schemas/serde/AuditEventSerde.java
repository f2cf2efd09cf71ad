package io.docstream.schemas.serde;

import io.docstream.schemas.events.AuditEvent;

public final class AuditEventSerde extends JsonSerde<AuditEvent> {

    public AuditEventSerde() {
        super(AuditEvent.class);
    }
}
