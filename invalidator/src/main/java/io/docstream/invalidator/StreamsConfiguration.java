package io.docstream.invalidator;

import io.docstream.invalidator.audit.InvalidatorTopology;
import io.docstream.schemas.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.core.KafkaAdmin;

/** Spring owns the Streams lifecycle: configuration, missing topics, and the topology built at start. */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class StreamsConfiguration {

    static final String APPLICATION_ID = "docstream-invalidator";

    /** How long a failed stream thread waits before its replacement starts, so an outage is not hammered. */
    private static final Duration RESTART_BACKOFF = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(StreamsConfiguration.class);

    @Bean(KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_CONFIG_BEAN_NAME)
    KafkaStreamsConfiguration defaultKafkaStreamsConfig(KafkaProperties kafka, KafkaConnectionDetails connection,
            InvalidatorProperties properties) {
        Map<String, Object> config = new HashMap<>(kafka.buildStreamsProperties());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", connection.getStreams().getBootstrapServers()));
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, properties.streams().stateDir().toAbsolutePath().toString());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) properties.kafka().replicationFactor());
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return new KafkaStreamsConfiguration(config);
    }

    @Bean
    KafkaAdmin.NewTopics docstreamTopics(InvalidatorProperties properties) {
        return new KafkaAdmin.NewTopics(
                Topics.newTopics(properties.kafka().replicationFactor()).toArray(NewTopic[]::new));
    }

    @Bean
    InvalidatorTopology invalidatorTopology(DSLContext dsl) {
        return new InvalidatorTopology(dsl);
    }

    /**
     * Builds the topology when the factory bean starts it. A failing write (PostgreSQL down) kills the
     * stream thread; replacing it after a short pause retries from the last commit, so no event goes
     * unaudited.
     */
    @Bean
    StreamsBuilderFactoryBeanConfigurer invalidatorTopologyConfigurer(InvalidatorTopology topology) {
        return factoryBean -> {
            factoryBean.setInfrastructureCustomizer(new KafkaStreamsInfrastructureCustomizer() {
                @Override
                public void configureBuilder(StreamsBuilder builder) {
                    topology.build(builder);
                }
            });
            factoryBean.setStreamsUncaughtExceptionHandler(exception -> {
                log.error("Invalidator stream thread failed; replacing it to retry from the last commit", exception);
                pauseBeforeRestart();
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            });
        };
    }

    private static void pauseBeforeRestart() {
        try {
            Thread.sleep(RESTART_BACKOFF);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
