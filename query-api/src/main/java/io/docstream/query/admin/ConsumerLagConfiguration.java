package io.docstream.query.admin;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The pipeline's consumer lag as a meter, read through the status report's consumer-group reader. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsumerLagProperties.class)
class ConsumerLagConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    ConsumerLagMeters consumerLagMeters(ConsumerGroups consumerGroups, MeterRegistry meters,
            ConsumerLagProperties properties) {
        return new ConsumerLagMeters(consumerGroups, meters, properties.refreshInterval());
    }
}
