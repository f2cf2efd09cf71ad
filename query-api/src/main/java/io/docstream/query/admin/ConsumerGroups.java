package io.docstream.query.admin;

import io.docstream.platform.errors.TemporarilyUnavailableException;
import io.docstream.query.admin.SystemStatus.ConsumerGroupLag;
import io.docstream.query.admin.SystemStatus.PartitionLag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
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
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * The lag of every docstream consumer group: committed offsets against the partitions' (committed) ends. Owns its
 * admin client.
 */
final class ConsumerGroups implements AutoCloseable {

    static final String PREFIX = "docstream";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /**
     * A call still retrying a broker that is gone (listing groups asks every broker the metadata named) would
     * otherwise hold the service's shutdown for the admin's whole API timeout, a minute.
     */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);

    private final Admin admin;

    ConsumerGroups(Admin admin) {
        this.admin = admin;
    }

    @Override
    public void close() {
        admin.close(CLOSE_TIMEOUT);
    }

    List<ConsumerGroupLag> lags() {
        List<String> groups = get(admin.listGroups().all()).stream()
                .map(GroupListing::groupId)
                .filter(id -> id.startsWith(PREFIX))
                .sorted()
                .toList();
        List<ConsumerGroupLag> lags = new ArrayList<>();
        for (String group : groups) {
            lags.add(lag(group));
        }
        return lags;
    }

    private ConsumerGroupLag lag(String group) {
        Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata());
        committed.values().removeIf(Objects::isNull);
        Map<TopicPartition, Long> ends = committed.isEmpty() ? Map.of() : get(admin.listOffsets(
                committed.keySet().stream().collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest())),
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
        List<PartitionLag> partitions = committed.entrySet().stream()
                .map(entry -> {
                    long end = ends.getOrDefault(entry.getKey(), entry.getValue().offset());
                    long at = entry.getValue().offset();
                    return new PartitionLag(entry.getKey().topic(), entry.getKey().partition(), at, end,
                            Math.max(0, end - at));
                })
                .sorted(Comparator.comparing(PartitionLag::topic).thenComparing(PartitionLag::partition))
                .toList();
        String state = "unknown";
        int members = 0;
        try {
            ConsumerGroupDescription description = get(admin.describeConsumerGroups(List.of(group)).describedGroups()
                    .get(group));
            state = description.groupState().toString();
            members = description.members().size();
        } catch (RuntimeException e) {
            // Not a classic or consumer-protocol group; its lag is still known from the offsets.
        }
        return new ConsumerGroupLag(group, state, members, partitions.stream().mapToLong(PartitionLag::lag).sum(),
                partitions);
    }

    private static <T> T get(KafkaFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TemporarilyUnavailableException("Interrupted while reading the consumer groups.", TIMEOUT, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new TemporarilyUnavailableException("Kafka did not report the consumer groups; retry later.",
                    TIMEOUT, e);
        }
    }
}
