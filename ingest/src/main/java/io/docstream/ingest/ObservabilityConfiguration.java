package io.docstream.ingest;

import io.docstream.core.health.DependencyHealthConfiguration;
import io.docstream.core.logging.LoggingContextConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Health of what ingest depends on (Kafka and PostgreSQL, both required for readiness, see {@code ingest.yml})
 * and the tenant and document id in the logging context of every API request.
 */
@Configuration(proxyBeanMethods = false)
@Import({ DependencyHealthConfiguration.class, LoggingContextConfiguration.class })
class ObservabilityConfiguration {
}
