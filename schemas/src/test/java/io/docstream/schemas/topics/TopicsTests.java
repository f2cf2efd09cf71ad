package io.docstream.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class TopicsTests {

    @Test
    void documentsTopicIsCompactedSoAReplayRebuildsEverything() {
        assertThat(Topics.DOCUMENTS.name()).isEqualTo("docstream.documents.v1");
        assertThat(Topics.DOCUMENTS.configs())
                .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                .doesNotContainKey(TopicConfig.RETENTION_MS_CONFIG);
    }

    @Test
    void otherTopicsDeleteAfterTheirRetention() {
        assertDeletesAfter(Topics.INDEXED, "docstream.indexed.v1", Duration.ofDays(7));
        assertDeletesAfter(Topics.INVALIDATIONS, "docstream.invalidations.v1", Duration.ofDays(1));
        assertDeletesAfter(Topics.QUERIES, "docstream.queries.v1", Duration.ofDays(7));
        assertDeletesAfter(Topics.AUDIT, "docstream.audit.v1", Duration.ofDays(30));
        assertDeletesAfter(Topics.DOCUMENTS_DLQ, "docstream.documents.dlq.v1", Duration.ofDays(30));
    }

    @Test
    void registryListsEveryTopicConstantOnceWithDistinctNames() throws IllegalAccessException {
        List<Topic<?, ?>> constants = new ArrayList<>();
        for (Field field : Topics.class.getDeclaredFields()) {
            if (field.getType() == Topic.class && Modifier.isStatic(field.getModifiers())) {
                constants.add((Topic<?, ?>) field.get(null));
            }
        }

        assertThat(Topics.ALL).containsExactlyInAnyOrderElementsOf(constants).hasSize(6);
        assertThat(Topics.ALL.stream().map(Topic::name).distinct()).hasSize(Topics.ALL.size());
    }

    @Test
    void newTopicsCarryNamePartitionsReplicationAndConfigs() {
        Map<String, NewTopic> created = Topics.newTopics((short) 3).stream()
                .collect(Collectors.toMap(NewTopic::name, topic -> topic));

        assertThat(created).hasSize(Topics.ALL.size());
        assertThat(Topics.ALL).allSatisfy(topic -> {
            NewTopic newTopic = created.get(topic.name());
            assertThat(newTopic.numPartitions()).isEqualTo(Topics.PARTITIONS);
            assertThat(newTopic.replicationFactor()).isEqualTo((short) 3);
            assertThat(newTopic.configs()).isEqualTo(topic.configs());
        });
        assertThat(created.get("docstream.documents.v1").configs())
                .contains(entry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    @Test
    void topicsAreImmutable() {
        assertThat(Arrays.stream(Topics.class.getDeclaredFields())
                .filter(field -> Modifier.isStatic(field.getModifiers()) && !field.isSynthetic()))
                .allSatisfy(field -> assertThat(Modifier.isFinal(field.getModifiers())).as(field.getName()).isTrue());
        assertThat(Topics.AUDIT.configs()).isUnmodifiable();
        assertThat(Topics.ALL).isUnmodifiable();
    }

    private static void assertDeletesAfter(Topic<?, ?> topic, String name, Duration retention) {
        assertThat(topic.name()).isEqualTo(name);
        assertThat(topic.partitions()).isEqualTo(Topics.PARTITIONS);
        assertThat(topic.configs())
                .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)
                .containsEntry(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
    }
}
