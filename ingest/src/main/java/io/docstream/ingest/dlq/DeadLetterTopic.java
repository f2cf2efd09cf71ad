package io.docstream.ingest.dlq;

import io.docstream.schemas.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * The dead-letter topic, read with short-lived consumers (committed records only, no consumer group: an
 * operator's look must not move anything) and written back to the documents topic with an idempotent
 * producer. Reads stop at the end offsets taken when they began, and within {@code readTimeout}.
 */
final class DeadLetterTopic {

    static final String TOPIC = Topics.DOCUMENTS_DLQ.name();
    private static final Duration POLL = Duration.ofMillis(200);

    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final Supplier<Admin> admins;
    private final Producer<byte[], byte[]> producer;
    private final Duration readTimeout;

    DeadLetterTopic(Supplier<Consumer<byte[], byte[]>> consumers, Supplier<Admin> admins,
            Producer<byte[], byte[]> producer, Duration readTimeout) {
        this.consumers = consumers;
        this.admins = admins;
        this.producer = producer;
        this.readTimeout = readTimeout;
    }

    /** Every committed record now in the topic, in partition and offset order. */
    List<DeadLetter> readAll() {
        try (Consumer<byte[], byte[]> consumer = consumers.get()) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(info -> new TopicPartition(TOPIC, info.partition()))
                    .toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            consumer.seekToBeginning(partitions);
            List<DeadLetter> letters = new ArrayList<>();
            long deadline = System.nanoTime() + readTimeout.toNanos();
            while (!reachedEnds(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("reading " + TOPIC + " took longer than " + readTimeout);
                }
                consumer.poll(POLL).forEach(record -> {
                    if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        letters.add(letter(record));
                    }
                });
            }
            letters.sort(Comparator.comparing(DeadLetter::id));
            return letters;
        }
    }

    /** The record at {@code id}, if it is (still) there and committed. */
    Optional<DeadLetter> read(EntryId id) {
        try (Consumer<byte[], byte[]> consumer = consumers.get()) {
            TopicPartition partition = new TopicPartition(TOPIC, id.partition());
            if (consumer.partitionsFor(TOPIC).stream().noneMatch(info -> info.partition() == id.partition())) {
                return Optional.empty();
            }
            consumer.assign(List.of(partition));
            long begin = consumer.beginningOffsets(List.of(partition)).get(partition);
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            if (id.offset() < begin || id.offset() >= end) {
                return Optional.empty();
            }
            consumer.seek(partition, id.offset());
            long deadline = System.nanoTime() + readTimeout.toNanos();
            while (consumer.position(partition) <= id.offset()) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("reading " + TOPIC + " took longer than " + readTimeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.offset() == id.offset()) {
                        return Optional.of(letter(record));
                    }
                    if (record.offset() > id.offset()) {
                        return Optional.empty();
                    }
                }
            }
            return Optional.empty();
        }
    }

    /** Produces the original key, value and headers to the documents topic; returns where they landed. */
    RecordMetadata redrive(DeadLetter letter) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.DOCUMENTS.name(), null, letter.key(),
                letter.value(), letter.originalHeaders());
        try {
            return producer.send(record).get(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while redriving " + letter.id(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("Kafka did not acknowledge the redrive of " + letter.id(), e);
        }
    }

    /** Deletes every record below the given offset of each partition (Kafka deletes prefixes only). */
    void deleteBefore(Map<Integer, Long> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        Map<TopicPartition, RecordsToDelete> deletes = new HashMap<>();
        offsets.forEach((partition, offset) ->
                deletes.put(new TopicPartition(TOPIC, partition), RecordsToDelete.beforeOffset(offset)));
        try (Admin admin = admins.get()) {
            admin.deleteRecords(deletes).all().get(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while deleting DLQ records", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("Kafka did not delete the purged DLQ records", e);
        }
    }

    private static boolean reachedEnds(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    private static DeadLetter letter(ConsumerRecord<byte[], byte[]> record) {
        return DeadLetter.of(new EntryId(record.partition(), record.offset()), record.timestamp(), record.key(),
                record.value(), record.headers());
    }
}
