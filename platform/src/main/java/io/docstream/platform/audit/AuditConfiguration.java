package io.docstream.platform.audit;

import io.docstream.platform.resilience.RemoteCalls;
import io.docstream.platform.web.ApiAccessRules;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;

/**
 * Gives an app the {@link AuditTrail}: a {@link KafkaAuditTrail} whose producer is built from Spring's
 * {@code spring.kafka.*} settings (so security and bootstrap servers are the app's own) and waits
 * {@code docstream.audit.publish-timeout} for each acknowledgement. Every app with an API (an {@link ApiAccessRules}
 * bean) gets it, unless it defines its own trail.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnBean(ApiAccessRules.class)
@EnableConfigurationProperties(AuditProperties.class)
public class AuditConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(AuditTrail.class)
    KafkaAuditTrail auditTrail(KafkaProperties kafka, KafkaConnectionDetails connection, AuditProperties properties,
            ObjectProvider<MeterRegistry> meters, ObjectProvider<RemoteCalls> remoteCalls) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                String.join(",", connection.getProducer().getBootstrapServers()));
        return new KafkaAuditTrail(config, properties.publishTimeout(), meters.getIfAvailable(() -> Metrics.globalRegistry),
                remoteCalls.getIfAvailable(RemoteCalls::withDefaults)
                        .call(RemoteCalls.AUDIT_PRODUCER, KafkaAuditTrail::unrecorded));
    }
}
