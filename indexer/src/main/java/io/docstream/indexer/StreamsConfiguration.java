package io.docstream.indexer;

import io.docstream.core.chunking.Chunker;
import io.docstream.core.embedding.Embedder;
import io.docstream.core.index.SearchIndex;
import io.docstream.indexer.indexing.IndexerTopology;
import io.docstream.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
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

    static final String APPLICATION_ID = "docstream-indexer";

    /** How long a failed stream thread waits before its replacement starts, so an outage is not hammered. */
    private static final Duration RESTART_BACKOFF = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(StreamsConfiguration.class);

    @Bean(KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_CONFIG_BEAN_NAME)
    KafkaStreamsConfiguration defaultKafkaStreamsConfig(KafkaProperties kafka, KafkaConnectionDetails connection,
            IndexerProperties properties) {
        Map<String, Object> config = new HashMap<>(kafka.buildStreamsProperties());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", connection.getStreams().getBootstrapServers()));
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, properties.streams().stateDir().toAbsolutePath().toString());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) properties.kafka().replicationFactor());
        // A flush blocks the stream thread while it embeds and writes; five minutes leave a wide margin
        // over a full batch, and the batch size is capped so it stays that way.
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), 300_000);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Whole commands travel through the pending store's changelog and the DLQ.
        config.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Topics.MAX_COMMAND_BYTES);
        config.put(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG), Topics.MAX_COMMAND_BYTES);
        return new KafkaStreamsConfiguration(config);
    }

    @Bean
    KafkaAdmin.NewTopics docstreamTopics(IndexerProperties properties) {
        return new KafkaAdmin.NewTopics(
                Topics.newTopics(properties.kafka().replicationFactor()).toArray(NewTopic[]::new));
    }

    @Bean
    IndexerTopology indexerTopology(Chunker chunker, Embedder embedder, SearchIndex searchIndex, DSLContext dsl,
            IndexerProperties properties, MeterRegistry meters) {
        return new IndexerTopology(chunker, embedder, searchIndex, dsl, properties.indexer().batchSettings(), meters);
    }

    /**
     * Builds the topology when the factory bean starts it. A failing flush (a dependency down) kills
     * the stream thread; replacing it after a short pause retries from the last commit, so no command
     * is lost or skipped.
     */
    @Bean
    StreamsBuilderFactoryBeanConfigurer indexerTopologyConfigurer(IndexerTopology topology) {
        return factoryBean -> {
            factoryBean.setInfrastructureCustomizer(new KafkaStreamsInfrastructureCustomizer() {
                @Override
                public void configureBuilder(StreamsBuilder builder) {
                    topology.build(builder);
                }
            });
            factoryBean.setStreamsUncaughtExceptionHandler(exception -> {
                log.error("Indexer stream thread failed; replacing it to retry from the last commit", exception);
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
