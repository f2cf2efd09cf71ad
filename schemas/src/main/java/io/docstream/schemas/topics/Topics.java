package io.docstream.schemas.topics;

import io.docstream.schemas.events.AuditEvent;
import io.docstream.schemas.events.CacheInvalidated;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentIndexed;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.events.QueryExecuted;
import io.docstream.schemas.serde.AuditEventSerde;
import io.docstream.schemas.serde.CacheInvalidatedSerde;
import io.docstream.schemas.serde.DocumentCommandSerde;
import io.docstream.schemas.serde.DocumentIndexedSerde;
import io.docstream.schemas.serde.DocumentKeySerde;
import io.docstream.schemas.serde.QueryExecutedSerde;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/** Every topic docstream reads or writes; services create missing ones at start-up from here. */
public final class Topics {

    /** Partitions per topic; the ceiling for Streams instances of one app. */
    public static final int PARTITIONS = 6;

    /** Largest document command record: a 1 MiB body plus title and metadata, with room to spare. */
    public static final int MAX_COMMAND_BYTES = 8 * 1024 * 1024;

    public static final Topic<DocumentKey, DocumentCommand> DOCUMENTS = new Topic<>(
            "docstream.documents.v1", new DocumentKeySerde(), new DocumentCommandSerde(), PARTITIONS,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, millis(Duration.ofHours(1)),
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_COMMAND_BYTES)));

    public static final Topic<DocumentKey, DocumentIndexed> INDEXED = new Topic<>(
            "docstream.indexed.v1", new DocumentKeySerde(), new DocumentIndexedSerde(), PARTITIONS,
            retention(Duration.ofDays(7)));

    public static final Topic<String, CacheInvalidated> INVALIDATIONS = new Topic<>(
            "docstream.invalidations.v1", Serdes.String(), new CacheInvalidatedSerde(), PARTITIONS,
            retention(Duration.ofDays(1)));

    public static final Topic<String, QueryExecuted> QUERIES = new Topic<>(
            "docstream.queries.v1", Serdes.String(), new QueryExecutedSerde(), PARTITIONS,
            retention(Duration.ofDays(7)));

    public static final Topic<String, AuditEvent> AUDIT = new Topic<>(
            "docstream.audit.v1", Serdes.String(), new AuditEventSerde(), PARTITIONS,
            retention(Duration.ofDays(30)));

    /** Keyed as its source; the value is the original bytes, the reason travels in headers. */
    public static final Topic<byte[], byte[]> DOCUMENTS_DLQ = new Topic<>(
            "docstream.documents.dlq.v1", Serdes.ByteArray(), Serdes.ByteArray(), PARTITIONS,
            withMaxMessageBytes(retention(Duration.ofDays(30))));

    public static final List<Topic<?, ?>> ALL = List.of(DOCUMENTS, INDEXED, INVALIDATIONS, QUERIES, AUDIT,
            DOCUMENTS_DLQ);

    /** Headers a DLQ record carries. */
    public static final String DLQ_REASON_HEADER = "docstream.dlq.reason";
    public static final String DLQ_EXCEPTION_HEADER = "docstream.dlq.exception";
    public static final String DLQ_SOURCE_HEADER = "docstream.dlq.source";

    private Topics() {
    }

    /** The admin-client form of every topic, for creating missing topics at start-up. */
    public static List<NewTopic> newTopics(short replicationFactor) {
        return ALL.stream()
                .map(topic -> new NewTopic(topic.name(), topic.partitions(), replicationFactor).configs(topic.configs()))
                .toList();
    }

    private static Map<String, String> retention(Duration retention) {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, millis(retention));
    }

    private static Map<String, String> withMaxMessageBytes(Map<String, String> configs) {
        var copy = new HashMap<>(configs);
        copy.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_COMMAND_BYTES));
        return copy;
    }

    private static String millis(Duration duration) {
        return Long.toString(duration.toMillis());
    }
}
