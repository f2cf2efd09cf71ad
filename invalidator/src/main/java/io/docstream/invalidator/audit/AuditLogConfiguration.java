package io.docstream.invalidator.audit;

import io.docstream.schemas.topics.Topics;
import io.docstream.schemas.events.AuditEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.docstream.schemas.events.QueryExecuted;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.beans.factory.annotation.Value;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The audit log sink's consumer (group {@code docstream-audit-log}) in the invalidator's process: a spring-kafka
 * batch listener that reads committed audit events only ({@code read_committed}: the Streams apps publish theirs in
 * transactions), and, while {@code docstream.analytics.audit-queries} is on, the queries topic, each search becoming
 * its audit record there ({@link SearchAudits}); it writes each polled batch with {@link AuditLogSink} and then
 * commits its offsets. While PostgreSQL
 * refuses, the same batch is written again after a growing pause (200 ms doubling to 5 s, without end) with the
 * consumer paused, so nothing is skipped and nothing is lost. It has its own consumer, so a backlog of audit
 * events (one per search) never delays an invalidation.
 *
 * <p>It was a Kafka Streams app writing one row per record; with one audit event per search, those single-row
 * inserts and their commits cost PostgreSQL a fifth of the machine under cached-search load. The group id is the
 * Streams app's application id, so an upgrade goes on from the offsets the Streams app committed.
 */
@Configuration(proxyBeanMethods = false)
class AuditLogConfiguration {

    static final String GROUP_ID = "docstream-audit-log";
    private static final Logger log = LoggerFactory.getLogger(AuditLogConfiguration.class);

    @Bean
    AuditLogSink auditLogSink(DSLContext dsl) {
        return new AuditLogSink(dsl);
    }

    @Bean
    ConcurrentMessageListenerContainer<String, byte[]> auditLogListener(KafkaProperties kafka,
            KafkaConnectionDetails connection, AuditLogSink sink,
            @Value("${docstream.analytics.audit-queries:true}") boolean auditQueries) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                String.join(",", connection.getConsumer().getBootstrapServers()));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP_ID);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, AuditLogSink.ROWS_PER_STATEMENT);
        DefaultKafkaConsumerFactory<String, byte[]> consumers = new DefaultKafkaConsumerFactory<>(config,
                new StringDeserializer(), new ByteArrayDeserializer());
        ContainerProperties properties = new ContainerProperties(topics(auditQueries));
        properties.setAckMode(ContainerProperties.AckMode.BATCH);
        properties.setMessageListener((BatchMessageListener<String, byte[]>) records -> {
            List<AuditEvent> events = new ArrayList<>(records.size());
            for (ConsumerRecord<String, byte[]> record : records) {
                events.add(auditEvent(record));
            }
            sink.write(events);
        });
        ConcurrentMessageListenerContainer<String, byte[]> container =
                new ConcurrentMessageListenerContainer<>(consumers, properties);
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2);
        backOff.setMaxInterval(5_000);
        container.setCommonErrorHandler(new DefaultErrorHandler(backOff));
        container.setBeanName("auditLogListener");
        return container;
    }

    /** The audit topic, and the queries topic when every search is audited. */
    static String[] topics(boolean auditQueries) {
        return auditQueries ? new String[] { Topics.AUDIT.name(), Topics.QUERIES.name() }
                : new String[] { Topics.AUDIT.name() };
    }

    /**
     * The audit event a record is: an event of the audit topic as it is, a search of the queries topic as its audit
     * record ({@link SearchAudits}); null for a tombstone or a record that cannot be read (logged), which the sink
     * skips.
     */
    static AuditEvent auditEvent(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            if (Topics.QUERIES.name().equals(record.topic())) {
                QueryExecuted query = Topics.QUERIES.valueSerde().deserializer()
                        .deserialize(record.topic(), record.headers(), record.value());
                return query == null ? null : SearchAudits.of(query);
            }
            return Topics.AUDIT.valueSerde().deserializer().deserialize(record.topic(), record.headers(),
                    record.value());
        } catch (RuntimeException e) {
            log.warn("Skipped a record of {} that could not be read ({} bytes): {}", record.topic(),
                    record.value().length, e.getMessage());
            return null;
        }
    }
}
