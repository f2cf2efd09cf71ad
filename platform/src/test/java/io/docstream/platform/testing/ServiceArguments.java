package io.docstream.platform.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The settings a test gives a docstream service it boots against real dependencies: the test database (with
 * migrations off, since it is migrated already), Kafka, Redis and anything else, as command-line arguments for
 * {@code SpringApplicationBuilder.run} or into a {@link DynamicPropertyRegistry}.
 */
public final class ServiceArguments {

    private final Map<String, String> properties = new LinkedHashMap<>();

    public static ServiceArguments create() {
        return new ServiceArguments();
    }

    public ServiceArguments database(TestDatabase database) {
        return set("spring.datasource.url", database.jdbcUrl())
                .set("spring.datasource.username", database.username())
                .set("spring.datasource.password", database.password())
                .set("spring.flyway.enabled", false);
    }

    public ServiceArguments kafka(String bootstrapServers) {
        return set("spring.kafka.bootstrap-servers", bootstrapServers);
    }

    public ServiceArguments redis(String uri) {
        return set("docstream.redis.uri", uri);
    }

    /** A random free HTTP port. */
    public ServiceArguments anyPort() {
        return set("server.port", 0);
    }

    public ServiceArguments set(String property, Object value) {
        properties.put(Objects.requireNonNull(property, "property"), String.valueOf(value));
        return this;
    }

    /** {@code --property=value} for each setting, in the order given. */
    public String[] commandLine() {
        return properties.entrySet().stream().map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
                .toArray(String[]::new);
    }

    public void addTo(DynamicPropertyRegistry registry) {
        properties.forEach((property, value) -> registry.add(property, () -> value));
    }
}
