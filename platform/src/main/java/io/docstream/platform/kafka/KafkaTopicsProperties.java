package io.docstream.platform.kafka;

import io.docstream.schemas.topics.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code docstream.kafka.*}: how the services create docstream's topics when they are missing, and the Streams
 * apps their internal topics (changelogs, repartition topics). Topics that exist already are left as they are.
 *
 * @param replicationFactor replicas of every created topic (1 for one broker; 3 in production)
 * @param minInsyncReplicas the {@code min.insync.replicas} of every created topic: how many replicas must hold a
 *        write before an {@code acks=all} producer (ingest, the Streams apps) is told it succeeded, so that many
 *        brokers can be lost without losing an acknowledged write (2 in production, with replication factor 3);
 *        unset, the brokers' own default applies (1 unless the cluster says otherwise)
 */
@ConfigurationProperties("docstream.kafka")
public record KafkaTopicsProperties(@DefaultValue("1") short replicationFactor, Integer minInsyncReplicas) {

    public KafkaTopicsProperties {
        if (minInsyncReplicas != null && (minInsyncReplicas < 1
                || replicationFactor > 0 && minInsyncReplicas > replicationFactor)) {
            throw new IllegalArgumentException("docstream.kafka.min-insync-replicas must be between 1 and the"
                    + " replication factor (" + replicationFactor + "), not " + minInsyncReplicas
                    + ": no write could ever be acknowledged");
        }
    }

    /** The admin-client form of every docstream topic, replicated as configured, for creating missing ones. */
    public List<NewTopic> newTopics() {
        return Topics.newTopics(replicationFactor).stream()
                .map(topic -> {
                    Map<String, String> configs = new HashMap<>(topic.configs());
                    configs.putAll(durabilityConfigs());
                    return topic.configs(configs);
                })
                .toList();
    }

    /** The topic configs that decide durability, beyond the replication factor: empty when the brokers decide. */
    public Map<String, String> durabilityConfigs() {
        return minInsyncReplicas == null ? Map.of()
                : Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas));
    }
}
