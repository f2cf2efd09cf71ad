package io.docstream.platform.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** What every dependency indicator reports: its status, and its latency up or down (with the error when down). */
public final class HealthAssertions {

    private HealthAssertions() {
    }

    public static void assertUpWithLatency(Health health) {
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails().get("latencyMs")).isInstanceOf(Long.class);
        assertThat((long) health.getDetails().get("latencyMs")).isNotNegative();
    }

    public static void assertDownWithLatency(Health health) {
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsKeys("latencyMs", "error");
    }
}
