package io.docstream.platform.kafka;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;

/** {@link KafkaClients} from Spring's Kafka settings, and how topics are created, for every service. */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(KafkaTopicsProperties.class)
public class KafkaClientsConfiguration {

    @Bean
    KafkaClients kafkaClients(KafkaProperties properties, KafkaConnectionDetails connection) {
        return new KafkaClients(properties.buildAdminProperties(), connection.getAdmin().getBootstrapServers());
    }
}
