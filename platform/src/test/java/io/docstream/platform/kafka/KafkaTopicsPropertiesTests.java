package io.docstream.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.schemas.topics.Topics;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class KafkaTopicsPropertiesTests {

    @Test
    void byDefaultTopicsHaveOneReplicaAndTheBrokersDecideMinInsyncReplicas() {
        KafkaTopicsProperties topics = bind(Map.of());

        assertThat(topics.newTopics()).hasSize(Topics.ALL.size()).allSatisfy(topic -> {
            assertThat(topic.replicationFactor()).isEqualTo((short) 1);
            assertThat(topic.configs()).doesNotContainKey(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
        });
        assertThat(topics.durabilityConfigs()).isEmpty();
    }

    @Test
    void everyTopicIsCreatedWithTheConfiguredReplicationAndMinInsyncReplicasBesideItsOwnConfigs() {
        KafkaTopicsProperties topics = bind(Map.of("docstream.kafka.replication-factor", "3",
                "docstream.kafka.min-insync-replicas", "2"));

        assertThat(topics.newTopics()).hasSize(Topics.ALL.size()).allSatisfy(topic -> {
            assertThat(topic.replicationFactor()).isEqualTo((short) 3);
            assertThat(topic.numPartitions()).isEqualTo(Topics.PARTITIONS);
            assertThat(topic.configs()).containsEntry(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2")
                    .containsAllEntriesOf(Topics.ALL.stream().filter(t -> t.name().equals(topic.name()))
                            .findFirst().orElseThrow().configs());
        });
        NewTopic documents = topics.newTopics().stream().filter(t -> t.name().equals(Topics.DOCUMENTS.name()))
                .findFirst().orElseThrow();
        assertThat(documents.configs()).containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_COMPACT);
    }

    @Test
    void moreInsyncReplicasThanReplicasFailAtStart() {
        assertThatThrownBy(() -> bind(Map.of("docstream.kafka.replication-factor", "2",
                "docstream.kafka.min-insync-replicas", "3")))
                .hasRootCauseMessage("docstream.kafka.min-insync-replicas must be between 1 and the replication"
                        + " factor (2), not 3: no write could ever be acknowledged");
        assertThatThrownBy(() -> bind(Map.of("docstream.kafka.min-insync-replicas", "0")))
                .rootCause().hasMessageStartingWith("docstream.kafka.min-insync-replicas must be between 1");
    }

    private static KafkaTopicsProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("docstream.kafka", KafkaTopicsProperties.class);
    }
}
