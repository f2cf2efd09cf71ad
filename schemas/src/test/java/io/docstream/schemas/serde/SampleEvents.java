package io.docstream.schemas.serde;

import io.docstream.schemas.events.AuditEvent;
import io.docstream.schemas.events.CacheInvalidated;
import io.docstream.schemas.events.DeleteDocument;
import io.docstream.schemas.events.DocumentIndexed;
import io.docstream.schemas.events.QueryExecuted;
import io.docstream.schemas.events.UpsertDocument;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Representative instances of every event, with every field set, shared by the serde and schema tests. */
final class SampleEvents {

    static final Instant ACCEPTED_AT = Instant.parse("2026-11-21T09:15:30.123456Z");
    static final Instant LATER = Instant.parse("2026-11-21T09:15:31.5Z");
    static final String HASH_A = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final String HASH_B = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

    static final UpsertDocument UPSERT = new UpsertDocument("acme", "handbook-7", 42L, "Handbook",
            "Kafka carries every change as an event.", Map.of("lang", "en", "team", "platform"), ACCEPTED_AT);

    static final DeleteDocument DELETE = new DeleteDocument("acme", "handbook-7", 43L, ACCEPTED_AT);

    static final DocumentIndexed INDEXED = new DocumentIndexed("acme", "handbook-7", 42L, List.of(HASH_A, HASH_B),
            1, false, "all-minilm-l6-v2-q", ACCEPTED_AT, LATER);

    static final DocumentIndexed INDEXED_DELETION = new DocumentIndexed("acme", "handbook-7", 43L, List.of(), 0,
            true, null, null, LATER);

    static final CacheInvalidated INVALIDATED = new CacheInvalidated("acme",
            List.of("ds:{acme}:d:handbook-7"), 1_795_000_000_000_000L, "document.indexed", LATER, ACCEPTED_AT);

    static final QueryExecuted QUERY = new QueryExecuted(UUID.fromString("7d2f3c1e-0a4b-4c5d-8e6f-7a8b9c0d1e2f"),
            "acme", HASH_A, "employee handbook", "hybrid", "weighted", 10, 0, Map.of("team", "hr"), 1_850L, "miss",
            List.of("handbook-7", "faq-2"), List.of("semantic"), "1f0e4c9a", "req-81f2",
            "4bf92f3577b34da6a3ce929d0e0e4736", LATER);

    static final QueryExecuted QUERY_HASH_ONLY = new QueryExecuted(UUID.fromString("0c1d2e3f-4a5b-4c6d-9e7f-8a9b0c1d2e3f"),
            "acme", HASH_B, null, "keyword", null, 5, 10, Map.of(), 20L, "l1", List.of(), List.of(), null, null, null,
            LATER);

    static final AuditEvent AUDIT = new AuditEvent(UUID.fromString("0b6c7a39-58a5-4d0c-9d8e-8c1f3f1d2a77"), "acme",
            "key:ops-bot", "document.delete", "documents/handbook-7", "success", "req-81f2",
            "4bf92f3577b34da6a3ce929d0e0e4736", LATER);

    static final AuditEvent AUDIT_UNTRACED = new AuditEvent(UUID.fromString("5d1e2f10-7a44-4c39-b1f0-0c2d9e8a1b33"),
            "acme", "key:ops-bot", "apikey.create", "api-keys/ingest-bot", "denied", null, null, LATER);

    private SampleEvents() {
    }
}
