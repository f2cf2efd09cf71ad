package io.docstream.core.health;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The health of the two dependencies every docstream service has: Kafka ({@code kafka}) and PostgreSQL
 * ({@code db}, in place of Boot's indicator of that name). Services add {@code redis}, {@code index} and
 * {@code model} themselves with the indicators of this package, as far as they use them. Kafka is reached with
 * {@code spring.kafka.bootstrap-servers} and the client settings under {@code spring.kafka.properties.*} (where
 * TLS and SASL settings go), read from the environment since not every service has Spring for Apache Kafka.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HealthProperties.class)
public class DependencyHealthConfiguration {

    @Bean(destroyMethod = "close")
    KafkaHealthIndicator kafkaHealthIndicator(Environment environment, HealthProperties properties) {
        Binder binder = Binder.get(environment);
        Map<String, Object> config = new HashMap<>(binder.bind("spring.kafka.properties",
                Bindable.mapOf(String.class, String.class)).orElse(Map.of()));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", binder
                .bind("spring.kafka.bootstrap-servers", Bindable.listOf(String.class))
                .orElse(List.of("localhost:9092"))));
        String application = environment.getProperty("spring.application.name", "docstream");
        return new KafkaHealthIndicator(config, application + "-health", properties.timeout());
    }

    @Bean
    DatabaseHealthIndicator dbHealthIndicator(DataSource dataSource, HealthProperties properties) {
        return new DatabaseHealthIndicator(dataSource, properties.timeout());
    }
}
