package io.docstream.platform.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The settings for the plain Kafka clients (admins, consumers) a service builds itself, taken from Spring's own
 * Kafka configuration: the bootstrap servers of {@code KafkaConnectionDetails} and what {@code spring.kafka.*} says
 * about security, TLS and {@code spring.kafka.properties.*}. Callers add what is particular to their client.
 */
public final class KafkaClients {

    private final Map<String, Object> common;

    public KafkaClients(Map<String, Object> properties, List<String> bootstrapServers) {
        Map<String, Object> settings = new HashMap<>(Objects.requireNonNull(properties, "properties"));
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", bootstrapServers));
        this.common = Map.copyOf(settings);
    }

    /** The shared settings with {@code clientId} as the client id, ready for more. */
    public Map<String, Object> settings(String clientId) {
        Map<String, Object> settings = new HashMap<>(common);
        settings.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return settings;
    }

    public String bootstrapServers() {
        return (String) common.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }
}
