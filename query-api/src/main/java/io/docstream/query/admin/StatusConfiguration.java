package io.docstream.query.admin;

import io.docstream.platform.kafka.KafkaClients;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.jooq.DSLContext;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The operator's status report: Kafka admin and topic reads, PostgreSQL counts and this instance's meters. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StatusProperties.class)
class StatusConfiguration {

    @Bean
    ConsumerGroups consumerGroups(KafkaClients kafka) {
        return new ConsumerGroups(Admin.create(kafka.settings("docstream-query-api-status")));
    }

    @Bean
    TopicDocuments topicDocuments(StatusProperties properties, KafkaClients kafka) {
        return new TopicDocuments(kafka, properties.topicScanTimeout());
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
