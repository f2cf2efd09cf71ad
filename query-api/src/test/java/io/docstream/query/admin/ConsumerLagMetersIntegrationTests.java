package io.docstream.query.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.query.QueryApiTestSupport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The consumer lag gauge follows a docstream group's committed offsets against the topic's end. */
class ConsumerLagMetersIntegrationTests extends QueryApiTestSupport {

    @Autowired
    private ConsumerLagMeters lagMeters;

    @Autowired
    private MeterRegistry meters;

    @Test
    void aGroupBehindTheEndShowsItsLagAndZeroOnceItCaughtUp() throws Exception {
        String topic = "lag-test-" + UUID.randomUUID();
        String group = "docstream-lag-test-" + UUID.randomUUID();
        TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KAFKA.getBrokersAsString()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            produce(topic, 5);
            commit(admin, group, partition, 2);

            lagMeters.refresh();
            assertThat(lag(group)).isEqualTo(3);
            assertThat(get("/actuator/prometheus", null).body())
                    .containsPattern("docstream_consumer_lag_records\\{[^}]*group=\"" + group + "\"[^}]*} 3");

            commit(admin, group, partition, 5);
            lagMeters.refresh();
            assertThat(lag(group)).isZero();
        }
    }

    private double lag(String group) {
        Gauge gauge = meters.find(ConsumerLagMeters.METER).tag("group", group).gauge();
        assertThat(gauge).as("gauge for " + group).isNotNull();
        return gauge.value();
    }

    private static void produce(String topic, int count) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k", "v" + i)).get();
            }
        }
    }

    private static void commit(Admin admin, String group, TopicPartition partition, long offset) throws Exception {
        admin.alterConsumerGroupOffsets(group, Map.of(partition, new OffsetAndMetadata(offset))).all().get();
    }
}
