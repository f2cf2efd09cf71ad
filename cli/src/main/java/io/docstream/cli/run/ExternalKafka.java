package io.docstream.cli.run;

import io.docstream.platform.kafka.KafkaTopicsProperties;
import java.util.Objects;

/**
 * Kafka brokers that run outside the embedded runtime (a replicated cluster), which it uses instead of starting a
 * broker of its own, and how docstream's topics are replicated on them.
 */
public record ExternalKafka(String bootstrapServers, KafkaTopicsProperties topics) {

    public ExternalKafka {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
    }
}
