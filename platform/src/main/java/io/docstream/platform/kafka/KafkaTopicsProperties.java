package io.docstream.platform.kafka;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code docstream.kafka.*}: how the services create docstream's topics when they are missing.
 *
 * @param replicationFactor replicas of every created topic (1 for one broker; 3 in production)
 */
@ConfigurationProperties("docstream.kafka")
public record KafkaTopicsProperties(@DefaultValue("1") short replicationFactor) {
}
