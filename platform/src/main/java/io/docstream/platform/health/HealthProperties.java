package io.docstream.platform.health;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code docstream.health.*}: how long a dependency check may take and how often the model is really asked.
 *
 * @param timeout            longest wait for one dependency (Kafka, PostgreSQL, Redis, index, model) before
 *                           it counts as down
 * @param modelCheckInterval how long a successful model check is reused: embedding costs CPU, and the model
 *                           runs in process, so it does not fail between two checks without the JVM noticing
 */
@ConfigurationProperties("docstream.health")
public record HealthProperties(
        @DefaultValue("2s") Duration timeout,
        @DefaultValue("1m") Duration modelCheckInterval) {
}
