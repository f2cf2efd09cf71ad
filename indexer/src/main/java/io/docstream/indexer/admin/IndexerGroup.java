package io.docstream.indexer.admin;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * The indexer's consumer group on the documents topic, as Kafka's admin API sees it: who is in it, where it
 * stands, and moving it. Offsets are read committed, the position the exactly-once indexer can reach.
 */
final class IndexerGroup {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EMPTY_POLL = Duration.ofMillis(200);

    private final Admin admin;
    private final String groupId;
    private final String topic;

    IndexerGroup(Admin admin, String groupId, String topic) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.groupId = Objects.requireNonNull(groupId, "groupId");
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    String groupId() {
        return groupId;
    }

    /** The group's members, each as {@code clientId@host}; empty when nobody consumes. */
    List<String> members() {
        ConsumerGroupDescription group = get(admin.describeConsumerGroups(List.of(groupId)).describedGroups()
                .get(groupId));
        return group.members().stream().map(member -> member.clientId() + "@" + member.host()).sorted().toList();
    }

    /** Waits until the group has no members; returns whether it emptied in time. */
    boolean awaitEmpty(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!members().isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(EMPTY_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    List<TopicPartition> partitions() {
        return get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions().stream()
                .map(partition -> new TopicPartition(topic, partition.partition()))
                .toList();
    }

    /** The offset {@code spec} names in every partition; a timestamp past the last record gives the end. */
    Map<TopicPartition, Long> offsets(OffsetSpec spec) {
        List<TopicPartition> partitions = partitions();
        Map<TopicPartition, Long> offsets = list(partitions, spec);
        if (offsets.values().stream().anyMatch(offset -> offset < 0)) {
            Map<TopicPartition, Long> ends = list(partitions, OffsetSpec.latest());
            offsets.replaceAll((partition, offset) -> offset < 0 ? ends.get(partition) : offset);
        }
        return offsets;
    }

    /** The group's committed offsets on the topic; partitions it never committed are absent. */
    Map<TopicPartition, Long> committed() {
        Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata());
        Map<TopicPartition, Long> offsets = new HashMap<>();
        committed.forEach((partition, offset) -> {
            if (offset != null && partition.topic().equals(topic)) {
                offsets.put(partition, offset.offset());
            }
        });
        return offsets;
    }

    /** Commits {@code offsets} for the group; Kafka refuses unless the group is empty. */
    void moveTo(Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> commits = offsets.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> new OffsetAndMetadata(entry.getValue())));
        get(admin.alterConsumerGroupOffsets(groupId, commits).all());
    }

    private Map<TopicPartition, Long> list(List<TopicPartition> partitions, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> request = partitions.stream()
                .collect(Collectors.toMap(Function.identity(), partition -> spec));
        return new HashMap<>(get(admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all()).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset())));
    }

    private static <T> T get(KafkaFuture<T> future) {
        try {
            return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaAdminException("interrupted while talking to Kafka", e);
        } catch (ExecutionException e) {
            throw new KafkaAdminException("Kafka refused: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaAdminException("Kafka did not answer within " + CALL_TIMEOUT.toSeconds() + " s", e);
        }
    }

    /** A Kafka admin call that failed or timed out. */
    static final class KafkaAdminException extends RuntimeException {
        KafkaAdminException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
