package io.docstream.embedding;

import io.docstream.platform.health.DependencyCheck;

import io.docstream.embedding.Embedder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The embedding model is up when it embeds a short text into a vector of its declared dimensions. A healthy
 * answer is reused for {@code checkInterval} (with the latency it had and when it was taken), since embedding
 * costs CPU; a failed one is not, so recovery shows at the next check.
 */
public final class EmbeddingModelHealthIndicator implements HealthIndicator {

    private static final String PROBE_TEXT = "docstream health check";

    private final Embedder embedder;
    private final Duration timeout;
    private final Duration checkInterval;
    private final Clock clock;
    private volatile Health lastHealthy;
    private volatile Instant lastHealthyAt = Instant.MIN;

    public EmbeddingModelHealthIndicator(Embedder embedder, Duration timeout, Duration checkInterval) {
        this(embedder, timeout, checkInterval, Clock.systemUTC());
    }

    EmbeddingModelHealthIndicator(Embedder embedder, Duration timeout, Duration checkInterval, Clock clock) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.checkInterval = Objects.requireNonNull(checkInterval, "checkInterval");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Health health() {
        Instant now = clock.instant();
        Health cached = lastHealthy;
        if (cached != null && now.isBefore(lastHealthyAt.plus(checkInterval))) {
            return cached;
        }
        Health health = DependencyCheck.run(timeout, () -> {
            float[] vector = embedder.embedQuery(PROBE_TEXT);
            if (vector == null || vector.length != embedder.dimensions()) {
                throw new IllegalStateException("the model answered " + (vector == null ? "nothing"
                        : vector.length + " dimensions instead of " + embedder.dimensions()));
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("model", embedder.modelId());
            details.put("dimensions", vector.length);
            details.put("checkedAt", now.toString());
            return details;
        });
        if (Status.UP.equals(health.getStatus())) {
            lastHealthy = health;
            lastHealthyAt = now;
        } else {
            lastHealthy = null;
        }
        return health;
    }
}
