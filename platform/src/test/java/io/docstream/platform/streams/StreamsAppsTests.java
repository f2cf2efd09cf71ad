package io.docstream.platform.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.kafka.KafkaTopicsProperties;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

class StreamsAppsTests {

    private static final KafkaConnectionDetails BROKERS = () -> List.of("broker-1:9092", "broker-2:9092");

    @Test
    void streamsAppsProduceWithAcksAllAndIdempotenceEvenWhenTheirPropertiesSayOtherwise() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.getStreams().getProperties().put(ProducerConfig.ACKS_CONFIG, "1");
        StreamsConfig config = new StreamsConfig(StreamsApps.exactlyOnceConfig(kafka, BROKERS, "docstream-test",
                Path.of("state"), new KafkaTopicsProperties((short) 3, 2)));

        Map<String, Object> producer = config.getProducerConfigs("docstream-test-producer");

        assertThat(producer).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    }

    @Test
    void internalTopicsAreReplicatedLikeDocstreamsOwn() {
        StreamsConfig config = new StreamsConfig(StreamsApps.exactlyOnceConfig(new KafkaProperties(), BROKERS,
                "docstream-test", Path.of("state"), new KafkaTopicsProperties((short) 3, 2)));

        assertThat(config.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(3);
        assertThat(config.originalsWithPrefix(StreamsConfig.TOPIC_PREFIX))
                .containsEntry(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2");
    }

    @Test
    void withoutMinInsyncReplicasInternalTopicsTakeTheBrokersDefault() {
        StreamsConfig config = new StreamsConfig(StreamsApps.exactlyOnceConfig(new KafkaProperties(), BROKERS,
                "docstream-test", Path.of("state"), new KafkaTopicsProperties((short) 1, null)));

        assertThat(config.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(1);
        assertThat(config.originalsWithPrefix(StreamsConfig.TOPIC_PREFIX))
                .doesNotContainKey(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
    }
}
