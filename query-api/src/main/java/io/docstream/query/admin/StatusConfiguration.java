package io.docstream.query.admin;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.jooq.DSLContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The operator's status report: Kafka admin and topic reads, PostgreSQL counts and this instance's meters. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StatusProperties.class)
class StatusConfiguration {

    @Bean(destroyMethod = "close")
    Admin statusAdminClient(@Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "docstream-query-api-status"));
    }

    @Bean
    ConsumerGroups consumerGroups(Admin statusAdminClient) {
        return new ConsumerGroups(statusAdminClient);
    }

    @Bean
    TopicDocuments topicDocuments(StatusProperties properties,
            @Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers) {
        return new TopicDocuments(bootstrapServers, properties.topicScanTimeout());
    }

    @Bean
    TenantDocuments tenantDocuments(DSLContext dsl) {
        return new TenantDocuments(dsl);
    }

    @Bean
    MeterReadings meterReadings(MeterRegistry meters) {
        return new MeterReadings(meters);
    }
}
