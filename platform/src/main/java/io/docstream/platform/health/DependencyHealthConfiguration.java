package io.docstream.platform.health;

import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The health of the two dependencies every docstream service has: Kafka ({@code kafka}) and PostgreSQL
 * ({@code db}, in place of Boot's indicator of that name). Services add {@code redis}, {@code index} and
 * {@code model} themselves with the indicators of this package and of the search and embedding modules, as far as
 * they use them. Kafka is reached as Spring's own Kafka settings say ({@code spring.kafka.*}, where TLS and SASL
 * settings go).
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(HealthProperties.class)
public class DependencyHealthConfiguration {

    @Bean(destroyMethod = "close")
    KafkaHealthIndicator kafkaHealthIndicator(KafkaProperties kafka, KafkaConnectionDetails connection,
            Environment environment, HealthProperties properties) {
        Map<String, Object> config = new HashMap<>(kafka.buildAdminProperties());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                String.join(",", connection.getAdmin().getBootstrapServers()));
        String application = environment.getProperty("spring.application.name", "docstream");
        return new KafkaHealthIndicator(config, application + "-health", properties.timeout());
    }

    @Bean
    DatabaseHealthIndicator dbHealthIndicator(DataSource dataSource, HealthProperties properties) {
        return new DatabaseHealthIndicator(dataSource, properties.timeout());
    }
}
