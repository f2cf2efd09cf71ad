package io.docstream.platform.streams;

import io.docstream.platform.kafka.KafkaTopicsProperties;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

/**
 * What every docstream Kafka Streams app configures the same way: exactly-once processing with {@code acks=all}
 * and internal topics replicated as docstream's own, one stream thread, reading from the earliest offset, and a
 * failed thread replaced after a pause (growing with failures in a row, see {@link RestartBackoff}) so an
 * unavailable dependency is retried from the last commit instead of dropping records.
 */
public final class StreamsApps {

    /** The first pause before a failed stream thread's replacement starts, so an outage is not hammered. */
    static final Duration RESTART_BACKOFF = Duration.ofSeconds(2);
    /** The longest pause, reached after five failures in a row. */
    static final Duration MAX_RESTART_BACKOFF = Duration.ofSeconds(30);

    /**
     * A failed stream thread's replacement gets the partitions back only once the group dropped the dead
     * member (Streams does not leave the group then); with the default 45 s every dependency outage would
     * stall the app that much longer after the dependency is back.
     */
    static final int SESSION_TIMEOUT_MS = 8_000;

    private static final Logger log = LoggerFactory.getLogger(StreamsApps.class);

    private StreamsApps() {
    }

    /** The Streams settings shared by all apps; callers add their own on top. */
    public static Map<String, Object> exactlyOnceConfig(KafkaProperties kafka, KafkaConnectionDetails connection,
            String applicationId, Path stateDir, KafkaTopicsProperties topics) {
        Map<String, Object> config = new HashMap<>(kafka.buildStreamsProperties());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
                String.join(",", connection.getStreams().getBootstrapServers()));
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Exactly-once forces idempotence but passes a configured acks through; what the apps write is of record.
        config.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        // Changelogs and repartition topics are as durable as docstream's own topics.
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) topics.replicationFactor());
        topics.durabilityConfigs().forEach((name, value) -> config.put(StreamsConfig.topicPrefix(name), value));
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), SESSION_TIMEOUT_MS);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), SESSION_TIMEOUT_MS / 4);
        return config;
    }

    /** Builds the topology when the factory bean starts, and replaces a failed stream thread after a pause. */
    public static StreamsBuilderFactoryBeanConfigurer topologyConfigurer(String appName,
            Consumer<StreamsBuilder> topology) {
        RestartBackoff backoff = new RestartBackoff(RESTART_BACKOFF, MAX_RESTART_BACKOFF, Clock.systemUTC(),
                () -> ThreadLocalRandom.current().nextDouble());
        return factoryBean -> {
            factoryBean.setInfrastructureCustomizer(new KafkaStreamsInfrastructureCustomizer() {
                @Override
                public void configureBuilder(StreamsBuilder builder) {
                    topology.accept(builder);
                }
            });
            factoryBean.setStreamsUncaughtExceptionHandler(exception -> {
                Duration delay = backoff.nextDelay();
                log.error("{} stream thread failed; replacing it in {} ms to retry from the last commit", appName,
                        delay.toMillis(), exception);
                pauseBeforeRestart(delay);
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            });
        };
    }

    private static void pauseBeforeRestart(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
