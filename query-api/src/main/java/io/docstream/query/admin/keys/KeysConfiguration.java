package io.docstream.query.admin.keys;

import io.docstream.core.audit.AuditTrail;
import io.docstream.core.audit.KafkaAuditTrail;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The audit trail of key changes made through the query API: a {@link KafkaAuditTrail} on the broker the
 * query API already reads the invalidation stream from, waiting {@code docstream.audit.publish-timeout}.
 */
@Configuration(proxyBeanMethods = false)
class KeysConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(AuditTrail.class)
    KafkaAuditTrail keysAuditTrail(@Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers,
            @Value("${docstream.audit.publish-timeout:5s}") Duration publishTimeout, ObjectProvider<MeterRegistry> meters) {
        return new KafkaAuditTrail(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "docstream-query-api"), publishTimeout,
                meters.getIfAvailable(() -> Metrics.globalRegistry));
    }
}
