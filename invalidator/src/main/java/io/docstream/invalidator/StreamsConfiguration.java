package io.docstream.invalidator;

import io.docstream.invalidator.invalidation.InvalidatorTopology;
import io.docstream.platform.kafka.KafkaTopicsProperties;
import io.docstream.platform.redis.Redis;
import io.docstream.platform.redis.RedisConfiguration;
import io.docstream.platform.streams.StreamsApps;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.jooq.DSLContext;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Spring owns the Streams lifecycle: configuration, missing topics, and the topology built at start. The
 * Redis client (core, {@code docstream.redis.*}) is the one the topology evicts through.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
@Import(RedisConfiguration.class)
class StreamsConfiguration {

    static final String APPLICATION_ID = "docstream-invalidator";

    @Bean(KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_CONFIG_BEAN_NAME)
    KafkaStreamsConfiguration defaultKafkaStreamsConfig(KafkaProperties kafka, KafkaConnectionDetails connection,
            InvalidatorProperties properties, KafkaTopicsProperties topics) {
        Map<String, Object> config = StreamsApps.exactlyOnceConfig(kafka, connection, APPLICATION_ID,
                properties.streams().stateDir(), topics);
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        // query-api applies an invalidation only once its transaction commits; the exactly-once default of 100 ms
        // would be most of the lag budget. The invalidator's transactions are small, so committing often is cheap.
        config.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 10);
        return new KafkaStreamsConfiguration(config);
    }

    @Bean
    KafkaAdmin.NewTopics docstreamTopics(KafkaTopicsProperties topics) {
        return new KafkaAdmin.NewTopics(topics.newTopics().toArray(NewTopic[]::new));
    }

    @Bean
    InvalidatorTopology invalidatorTopology(DSLContext dsl, Redis redis, MeterRegistry meters,
            InvalidatorProperties properties) {
        return new InvalidatorTopology(dsl, redis, Clock.systemUTC(), meters, properties.changes().retention(),
                properties.changes().maxEntries());
    }

    @Bean
    StreamsBuilderFactoryBeanConfigurer invalidatorTopologyConfigurer(InvalidatorTopology topology) {
        return StreamsApps.topologyConfigurer("Invalidator", topology::build);
    }
}
