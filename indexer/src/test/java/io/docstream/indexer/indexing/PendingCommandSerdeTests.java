package io.docstream.indexer.indexing;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.tracing.TraceContext;
import io.docstream.schemas.events.DeleteDocument;
import io.docstream.schemas.events.UpsertDocument;
import io.docstream.schemas.serde.DocumentCommandSerde;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PendingCommandSerdeTests {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final PendingCommandSerde serde = new PendingCommandSerde();
    private final UpsertDocument upsert = new UpsertDocument("acme", "doc-1", 3, "Otters",
            "Otters hold hands while they sleep.", Map.of("lang", "en"), Instant.parse("2026-01-02T03:04:05Z"));

    @Test
    void roundTripsTheCommandWithTheTraceContextItArrivedIn() {
        PendingCommand pending = new PendingCommand(upsert, new TraceContext(TRACEPARENT, "vendor=value"));

        PendingCommand read = serde.deserializer().deserialize("t", serde.serializer().serialize("t", pending));

        assertThat(read).isEqualTo(pending);
        assertThat(read.trace().traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void roundTripsACommandThatArrivedOutsideAnyTrace() {
        PendingCommand pending = new PendingCommand(new DeleteDocument("acme", "doc-1", 4, Instant.EPOCH),
                TraceContext.NONE);

        PendingCommand read = serde.fromBytes(serde.toBytes(pending));

        assertThat(read).isEqualTo(pending);
        assertThat(read.trace().isPresent()).isFalse();
    }

    @Test
    void readsAValueStoredBeforeTracingAsTheCommandWithoutTraceContext() {
        byte[] stored = new DocumentCommandSerde().toBytes(upsert);

        PendingCommand read = serde.fromBytes(stored);

        assertThat(read.command()).isEqualTo(upsert);
        assertThat(read.trace()).isEqualTo(TraceContext.NONE);
    }
}
