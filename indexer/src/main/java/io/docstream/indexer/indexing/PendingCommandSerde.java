package io.docstream.indexer.indexing;

import io.docstream.platform.tracing.TraceContext;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.serde.EventMapper;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON for the pending-command store: {@code {"command": {...}, "traceparent": "...", "tracestate": "..."}}.
 * Values written before tracing are a bare command (with its {@code type} at the top level); they still
 * read, without a trace context, so a batch buffered by an older indexer survives the upgrade.
 */
final class PendingCommandSerde implements Serde<PendingCommand> {

    private static final String COMMAND = "command";

    byte[] toBytes(PendingCommand pending) {
        if (pending == null) {
            return null;
        }
        try {
            ObjectNode node = EventMapper.INSTANCE.createObjectNode();
            node.set(COMMAND, EventMapper.INSTANCE.valueToTree(pending.command()));
            if (pending.trace().isPresent()) {
                node.put(TraceContext.TRACEPARENT, pending.trace().traceparent());
                if (pending.trace().tracestate() != null) {
                    node.put(TraceContext.TRACESTATE, pending.trace().tracestate());
                }
            }
            return EventMapper.INSTANCE.writeValueAsBytes(node);
        } catch (JacksonException e) {
            throw new SerializationException("cannot write a pending command", e);
        }
    }

    PendingCommand fromBytes(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            JsonNode node = EventMapper.INSTANCE.readTree(bytes);
            if (!node.has(COMMAND)) {
                return new PendingCommand(EventMapper.INSTANCE.treeToValue(node, DocumentCommand.class),
                        TraceContext.NONE);
            }
            return new PendingCommand(EventMapper.INSTANCE.treeToValue(node.get(COMMAND), DocumentCommand.class),
                    new TraceContext(text(node, TraceContext.TRACEPARENT), text(node, TraceContext.TRACESTATE)));
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new SerializationException("cannot read a pending command: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    @Override
    public Serializer<PendingCommand> serializer() {
        return (topic, pending) -> toBytes(pending);
    }

    @Override
    public Deserializer<PendingCommand> deserializer() {
        return (topic, bytes) -> fromBytes(bytes);
    }
}
