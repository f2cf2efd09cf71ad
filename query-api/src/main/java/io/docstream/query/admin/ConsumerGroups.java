package io.docstream.query.admin;

import io.docstream.platform.errors.TemporarilyUnavailableException;
import io.docstream.query.admin.SystemStatus.ConsumerGroupLag;
import io.docstream.query.admin.SystemStatus.PartitionLag;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;
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
 * The lag of every docstream consumer group: committed offsets against the partitions' (committed) ends, and how
 * fast each group moves: records committed per second over the last {@value #RATE_WINDOW_SECONDS} s of the readings
 * this instance took (each status call is one; the first call of an instance reads the offsets twice,
 * {@value #FIRST_READING_GAP_MILLIS} ms apart). A replay shows here as the indexer group's rate. Owns its admin
 * client.
 */
final class ConsumerGroups implements AutoCloseable {

    static final String PREFIX = "docstream";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /**
     * A call still retrying a broker that is gone (listing groups asks every broker the metadata named) would
     * otherwise hold the service's shutdown for the admin's whole API timeout, a minute.
     */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);

    static final int RATE_WINDOW_SECONDS = 60;
    static final long FIRST_READING_GAP_MILLIS = 1_000;

    private final Admin admin;
    private final LongSupplier nanoClock;
    /** Earlier readings of each group's committed offsets (sum over its partitions), oldest first. */
    private final Map<String, Deque<Reading>> readings = new ConcurrentHashMap<>();

    private record Reading(long nanos, long committed) {
    }

    ConsumerGroups(Admin admin) {
        this(admin, System::nanoTime);
    }

    ConsumerGroups(Admin admin, LongSupplier nanoClock) {
        this.admin = admin;
        this.nanoClock = nanoClock;
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
        if (!groups.isEmpty() && groups.stream().noneMatch(readings::containsKey)) {
            // No earlier reading on this instance: take one now, so that this answer has a rate too.
            groups.forEach(group -> remember(group, committedSum(committed(group))));
            try {
                Thread.sleep(FIRST_READING_GAP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<ConsumerGroupLag> lags = new ArrayList<>();
        for (String group : groups) {
            lags.add(lag(group));
        }
        return lags;
    }

    private Map<TopicPartition, OffsetAndMetadata> committed(String group) {
        Map<TopicPartition, OffsetAndMetadata> committed = new java.util.HashMap<>(
                get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()));
        committed.values().removeIf(Objects::isNull);
        return committed;
    }

    private static long committedSum(Map<TopicPartition, OffsetAndMetadata> committed) {
        return committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
    }

    /**
     * Records this reading and returns the group's records per second since the oldest reading within the window
     * (null when there is none, or the offsets went back: a reset group).
     */
    Double remember(String group, long committed) {
        long now = nanoClock.getAsLong();
        Deque<Reading> history = readings.computeIfAbsent(group, ignored -> new ArrayDeque<>());
        synchronized (history) {
            long window = TimeUnit.SECONDS.toNanos(RATE_WINDOW_SECONDS);
            while (history.size() > 1 && now - history.peekFirst().nanos() > window) {
                history.pollFirst();
            }
            Reading oldest = history.peekFirst();
            history.addLast(new Reading(now, committed));
            if (oldest == null || now - oldest.nanos() <= 0 || committed < oldest.committed()) {
                return null;
            }
            double seconds = (now - oldest.nanos()) / 1e9;
            return Math.round((committed - oldest.committed()) / seconds * 10) / 10.0;
        }
    }

    private ConsumerGroupLag lag(String group) {
        Map<TopicPartition, OffsetAndMetadata> committed = committed(group);
        Double rate = remember(group, committedSum(committed));
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
                rate, partitions);
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
