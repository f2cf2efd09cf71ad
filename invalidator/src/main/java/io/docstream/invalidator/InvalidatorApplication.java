package io.docstream.invalidator;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The invalidator: a Kafka Streams app following the indexed topic. For each indexed or deleted document
 * version it evicts the caches and moves the tenant's search generation (Redis), marks the version searchable
 * for the status endpoint, and publishes the invalidation for every query-api instance's L1 and the change's
 * audit event. It also sinks the audit topic, every service's audit events, into {@code audit_log}. Its web
 * server serves the actuator only.
 */
@SpringBootApplication
@EnableConfigurationProperties(InvalidatorProperties.class)
public class InvalidatorApplication {

    /** Reads {@code invalidator.yml}, so the app can share a JVM with the other services. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(InvalidatorApplication.class)
                .properties("spring.config.name=invalidator");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
