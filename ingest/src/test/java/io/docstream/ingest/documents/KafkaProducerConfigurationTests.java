package io.docstream.ingest.documents;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

class KafkaProducerConfigurationTests {

    @Test
    void documentCommandsAreAcknowledgedByAllInsyncReplicasWhateverThePropertiesSay() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.getProducer().setAcks("1");
        kafka.getProducer().getProperties().put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");

        var config = new KafkaProducerConfiguration().documentCommandProducerFactory(kafka)
                .getConfigurationProperties();

        assertThat(config).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    }
}
