package io.docstream.cli.logging;

import java.util.Map;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Spring Boot's structured log encoder in the Elastic Common Schema format (the services' own JSON lines) for a
 * logback configured without Spring Boot's logging system, as in the all-in-one JVM. Boot's encoder reads its
 * settings from a Spring environment it expects in the logger context; this one supplies the JVM's environment
 * (system properties and variables, so {@code LOGGING_STRUCTURED_ECS_SERVICE_NAME} works) with the service name
 * {@code docstream}, and the OpenTelemetry agent's {@code trace_id}/{@code span_id} logging context written
 * under ECS's {@code trace.id}/{@code span.id}, as the services write them.
 */
public final class EcsJsonEncoder extends StructuredLogEncoder {

    public EcsJsonEncoder() {
        setFormat("ecs");
    }

    @Override
    public void start() {
        if (getContext().getObject(Environment.class.getName()) == null) {
            StandardEnvironment environment = new StandardEnvironment();
            environment.getPropertySources().addLast(new MapPropertySource("docstream-logging", Map.of(
                    "logging.structured.ecs.service.name", "docstream",
                    "logging.structured.json.rename.trace_id", "trace.id",
                    "logging.structured.json.rename.span_id", "span.id")));
            getContext().putObject(Environment.class.getName(), environment);
        }
        super.start();
    }
}
