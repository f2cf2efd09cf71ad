package io.docstream.invalidator.audit;

import io.docstream.invalidator.InvalidatorProperties;
import io.docstream.platform.kafka.KafkaTopicsProperties;
import io.docstream.platform.streams.StreamsApps;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.jooq.DSLContext;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.streams.KafkaStreamsMicrometerListener;

/**
 * The audit log sink: a Streams app of its own in the invalidator's process (application id
 * {@code docstream-audit-log}, exactly once), so that every service's audit events, one per search among them,
 * reach {@code audit_log} on a stream thread of their own and a backlog of them never delays a cache invalidation
 * (with both in one app, a burst of searches held invalidations back by seconds). It commits once a second: the
 * audit trail is read in seconds, invalidations in milliseconds.
 */
@Configuration(proxyBeanMethods = false)
class AuditLogConfiguration {

    static final String APPLICATION_ID = "docstream-audit-log";
    private static final int COMMIT_INTERVAL_MS = 1_000;

    @Bean
    StreamsBuilderFactoryBean auditLogStreams(KafkaProperties kafka, KafkaConnectionDetails connection,
            InvalidatorProperties invalidator, KafkaTopicsProperties topics, DSLContext dsl, MeterRegistry meters) {
        Map<String, Object> config = StreamsApps.exactlyOnceConfig(kafka, connection, APPLICATION_ID,
                invalidator.streams().stateDir(), topics.replicationFactor());
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        StreamsBuilderFactoryBean streams = new StreamsBuilderFactoryBean(new KafkaStreamsConfiguration(config));
        streams.addListener(new KafkaStreamsMicrometerListener(meters));
        AuditLogSink sink = new AuditLogSink(dsl);
        StreamsApps.topologyConfigurer("Audit log", sink::build).configure(streams);
        return streams;
    }
}
