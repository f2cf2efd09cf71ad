package io.docstream.indexer;

import io.docstream.embedding.Embedder;
import io.docstream.indexer.indexing.IndexRecovery;
import io.docstream.indexer.indexing.IndexerTopology;
import io.docstream.indexer.indexing.ReplayScope;
import io.docstream.platform.kafka.KafkaClients;
import io.docstream.platform.kafka.KafkaTopicsProperties;
import io.docstream.platform.resilience.RemoteCalls;
import io.docstream.platform.streams.StreamsApps;
import io.docstream.schemas.topics.Topics;
import io.docstream.search.SearchIndex;
import io.docstream.search.chunking.Chunker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.jooq.DSLContext;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.core.KafkaAdmin;

/** Spring owns the Streams lifecycle: configuration, missing topics, and the topology built at start. */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class StreamsConfiguration {

    static final String APPLICATION_ID = "docstream-indexer";

    @Bean(KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_CONFIG_BEAN_NAME)
    KafkaStreamsConfiguration defaultKafkaStreamsConfig(KafkaProperties kafka, KafkaConnectionDetails connection,
            IndexerProperties properties, KafkaTopicsProperties topics, ReplayScope replayScope) {
        Map<String, Object> config = StreamsApps.exactlyOnceConfig(kafka, connection, APPLICATION_ID,
                properties.streams().stateDir(), topics);
        // A flush blocks the stream thread while it embeds and writes; five minutes leave a wide margin
        // over a full batch, and the batch size is capped so it stays that way.
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), 300_000);
        // The flush runs inside the task's open transaction; under exactly-once Kafka Streams gives it 10 s,
        // after which the broker aborts it, fences the thread and the same flush starts over, forever when the
        // machine is slow. The transaction gets the same margin as the poll interval (the broker allows 15 min).
        config.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 300_000);
        // What a flush forwards becomes visible to the invalidator only when the transaction commits; Streams'
        // exactly-once default of 100 ms would add up to that much to every cache invalidation.
        config.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 20);
        // Whole commands travel through the pending store's changelog and the DLQ.
        config.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Topics.MAX_COMMAND_BYTES);
        config.put(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG), Topics.MAX_COMMAND_BYTES);
        // The version guard reads it from its context, so the topology needs no Spring wiring for replays.
        config.put(ReplayScope.CONFIG, replayScope);
        return new KafkaStreamsConfiguration(config);
    }

    /** Which re-applications a running replay lets through; shared by the version guard and the admin API. */
    @Bean
    ReplayScope replayScope() {
        return new ReplayScope();
    }

    @Bean
    KafkaAdmin.NewTopics docstreamTopics(KafkaTopicsProperties topics) {
        return new KafkaAdmin.NewTopics(topics.newTopics().toArray(NewTopic[]::new));
    }

    @Bean
    IndexerTopology indexerTopology(Chunker chunker, Embedder embedder, SearchIndex searchIndex, DSLContext dsl,
            IndexerProperties properties, MeterRegistry meters, RemoteCalls remoteCalls) {
        SearchIndex guarded = new GuardedIndexWrites(searchIndex,
                remoteCalls.call(RemoteCalls.SEARCH_INDEX, GuardedIndexWrites::indexUnhealthy));
        return new IndexerTopology(chunker, embedder, guarded, dsl, properties.indexer().batchSettings(),
                properties.indexer().poisonPolicy(), meters);
    }

    /**
     * Before the Streams app starts (a lower lifecycle phase), writes again what a crash took from the index after
     * Kafka had counted it done (see {@link IndexRecovery}); the app starts only after it succeeded.
     */
    @Bean
    SmartLifecycle indexRecovery(IndexerTopology topology, KafkaClients kafkaClients,
            KafkaStreamsConfiguration defaultKafkaStreamsConfig) {
        String groupId = defaultKafkaStreamsConfig.asProperties().getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        IndexRecovery recovery = topology.recovery(kafkaClients, groupId, Duration.ofMinutes(2));
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                recovery.recover();
                running = true;
            }

            @Override
            public void stop() {
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return StreamsBuilderFactoryBean.DEFAULT_PHASE - 1;
            }
        };
    }

    @Bean
    StreamsBuilderFactoryBeanConfigurer indexerTopologyConfigurer(IndexerTopology topology) {
        return StreamsApps.topologyConfigurer("Indexer", topology::build);
    }
}
