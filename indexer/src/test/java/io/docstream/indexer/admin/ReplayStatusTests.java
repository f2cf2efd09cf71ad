package io.docstream.indexer.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayStatusTests {

    private static final Instant STARTED = Instant.parse("2026-11-22T06:00:00Z");

    @Test
    void anotherTenantsReplayShowsItsProgressButNotTheTenantOrItsCounts() {
        ReplayStatus status = replay("bravo");

        assertThat(status.seenBy("bravo")).isEqualTo(status);
        assertThat(status.seenBy("alpha")).isEqualTo(new ReplayStatus("done", "earliest", null, STARTED,
                STARTED.plusSeconds(2), 5L, 5L, 2.5, 0L, 0L, null, null, null, null));
    }

    @Test
    void aReplayOfEveryTenantIsShownWhole() {
        ReplayStatus status = replay(null);

        assertThat(status.seenBy("alpha")).isEqualTo(status);
    }

    private static ReplayStatus replay(String tenant) {
        return new ReplayStatus("done", "earliest", tenant, STARTED, STARTED.plusSeconds(2), 5L, 5L, 2.5, 0L, 0L, 3L,
                2L, 0L, "boom");
    }
}
