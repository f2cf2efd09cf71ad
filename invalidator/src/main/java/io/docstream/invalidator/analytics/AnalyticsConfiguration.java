package io.docstream.invalidator.analytics;

import io.docstream.invalidator.InvalidatorProperties;
import io.docstream.platform.kafka.KafkaTopicsProperties;
import io.docstream.platform.streams.StreamsApps;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.jooq.DSLContext;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.streams.KafkaStreamsMicrometerListener;

/**
 * The analytics app: a Streams app of its own in the invalidator's process (application id
 * {@code docstream-analytics}), so that counting a heavy query stream never delays a cache invalidation. It
 * commits less often than the invalidator: analytics are read in minutes, invalidations in milliseconds.
 * {@code docstream.analytics.enabled=false} leaves it out of this process.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AnalyticsProperties.class)
@ConditionalOnBooleanProperty(name = "docstream.analytics.enabled", matchIfMissing = true)
class AnalyticsConfiguration {

    static final String APPLICATION_ID = "docstream-analytics";

    @Bean
    AnalyticsTopology analyticsTopology(DSLContext dsl, AnalyticsProperties properties, MeterRegistry meters) {
        return new AnalyticsTopology(dsl, properties, Clock.systemUTC(), meters);
    }

    @Bean
    StreamsBuilderFactoryBean analyticsStreams(KafkaProperties kafka, KafkaConnectionDetails connection,
            InvalidatorProperties invalidator, KafkaTopicsProperties topics, AnalyticsProperties properties,
            AnalyticsTopology topology, MeterRegistry meters) {
        Map<String, Object> config = StreamsApps.exactlyOnceConfig(kafka, connection, APPLICATION_ID,
                invalidator.streams().stateDir(), topics);
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) properties.commitInterval().toMillis());
        StreamsBuilderFactoryBean streams = new StreamsBuilderFactoryBean(new KafkaStreamsConfiguration(config));
        streams.addListener(new KafkaStreamsMicrometerListener(meters));
        StreamsApps.topologyConfigurer("Analytics", topology::build).configure(streams);
        return streams;
    }
}
