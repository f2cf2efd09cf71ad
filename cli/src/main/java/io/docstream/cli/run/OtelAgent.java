package io.docstream.cli.run;

import java.util.Optional;

/**
 * Whether this JVM runs with the OpenTelemetry Java agent and where it exports. A Java agent must be on the
 * command line before the JVM starts, so {@code run --otel} cannot attach it itself: the {@code ./docstream}
 * launcher recognises the flag and starts the JVM with {@code -javaagent} and the {@code otel.*} settings.
 */
final class OtelAgent {

    static final String DEFAULT_ENDPOINT = "http://localhost:4318";
    /** The agent's entry class; a Java agent's jar is on the system class path. */
    private static final String AGENT_CLASS = "io.opentelemetry.javaagent.OpenTelemetryAgent";

    private OtelAgent() {
    }

    static boolean attached() {
        try {
            Class.forName(AGENT_CLASS, false, ClassLoader.getSystemClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The OTLP endpoint traces go to, when the agent is attached. */
    static Optional<String> endpoint() {
        if (!attached()) {
            return Optional.empty();
        }
        return Optional.of(Optional.ofNullable(System.getProperty("otel.exporter.otlp.endpoint"))
                .or(() -> Optional.ofNullable(System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT")))
                .orElse(DEFAULT_ENDPOINT));
    }
}
