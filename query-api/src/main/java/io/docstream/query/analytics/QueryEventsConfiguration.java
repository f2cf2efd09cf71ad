package io.docstream.query.analytics;

import io.docstream.platform.kafka.KafkaClients;
import io.micrometer.core.instrument.MeterRegistry;
import org.jooq.DSLContext;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Query events out to {@code docstream.queries.v1}, and the analytics read back from what the analytics app counted. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QueryEventsProperties.class)
class QueryEventsConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnBooleanProperty(name = "docstream.query-events.enabled", matchIfMissing = true)
    QueryEvents queryEvents(KafkaClients kafka, QueryEventsProperties properties, MeterRegistry meters) {
        return new QueryEvents(kafka, properties.bufferCapacity(), meters);
    }

    @Bean
    QueryAnalytics queryAnalytics(DSLContext dsl) {
        return new QueryAnalytics(dsl);
    }
}
