package io.docstream.ingest.dlq;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import io.docstream.schemas.topics.Topics;
import org.jooq.DSLContext;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The DLQ admin API's Kafka clients: committed-only reads without a consumer group, and a durable,
 * idempotent producer for redrives, whatever the properties say (a redrive is acknowledged by all replicas).
 */
@Configuration(proxyBeanMethods = false)
class DlqConfiguration {

    /** Bounds every read of the DLQ and every acknowledgement wait, so an answer never hangs on Kafka. */
    static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

    @Bean(destroyMethod = "close")
    KafkaProducer<byte[], byte[]> dlqRedriveProducer(KafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "docstream-ingest-dlq-redrive");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_COMMAND_BYTES);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis() / 2);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 9_000);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Bean
    DeadLetterQueue deadLetterQueue(KafkaProperties kafka, KafkaProducer<byte[], byte[]> dlqRedriveProducer,
            DSLContext dsl) {
        Map<String, Object> consumer = new HashMap<>(kafka.buildConsumerProperties());
        consumer.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, "docstream-ingest-dlq-reader");
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_COMMAND_BYTES);
        consumer.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
        Map<String, Object> admin = new HashMap<>(kafka.buildAdminProperties());
        admin.put("client.id", "docstream-ingest-dlq-admin");
        DeadLetterTopic topic = new DeadLetterTopic(
                () -> new KafkaConsumer<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                () -> Admin.create(admin), dlqRedriveProducer, KAFKA_TIMEOUT);
        return new DeadLetterQueue(topic, new DlqMarkers(dsl));
    }
}
