package io.docstream.ingest.documents;

import io.docstream.platform.kafka.KafkaTopicsProperties;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.topics.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

/**
 * The producer of document commands: durable ({@code acks=all}, idempotent, whatever the properties
 * say) and bounded in time, so a request never hangs on an unreachable broker. Missing topics are
 * created at start-up.
 */
@Configuration(proxyBeanMethods = false)
class KafkaProducerConfiguration {

    @Bean
    ProducerFactory<DocumentKey, DocumentCommand> documentCommandProducerFactory(KafkaProperties kafkaProperties) {
        Map<String, Object> config = new HashMap<>(kafkaProperties.buildProducerProperties());
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
        config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 9_000);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 2);
        config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        config.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_COMMAND_BYTES);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return new DefaultKafkaProducerFactory<>(config, Topics.DOCUMENTS.keySerde().serializer(),
                Topics.DOCUMENTS.valueSerde().serializer());
    }

    @Bean
    KafkaTemplate<DocumentKey, DocumentCommand> documentCommandTemplate(
            ProducerFactory<DocumentKey, DocumentCommand> producerFactory) {
        KafkaTemplate<DocumentKey, DocumentCommand> template = new KafkaTemplate<>(producerFactory);
        template.setDefaultTopic(Topics.DOCUMENTS.name());
        return template;
    }

    @Bean
    KafkaAdmin.NewTopics docstreamTopics(KafkaTopicsProperties topics) {
        return new KafkaAdmin.NewTopics(topics.newTopics().toArray(NewTopic[]::new));
    }
}
