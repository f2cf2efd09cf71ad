package io.docstream.query.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** How a group's records per second come from the readings an instance takes of its committed offsets. */
class ConsumerGroupRatesTests {

    private final AtomicLong nanos = new AtomicLong();
    private final ConsumerGroups groups = new ConsumerGroups(null, nanos::get);

    @Test
    void theRateIsTheCommittedRecordsPerSecondSinceTheOldestReadingOfTheLastMinute() {
        assertThat(groups.remember("docstream-indexer", 1_000)).as("one reading says nothing yet").isNull();
        pass(Duration.ofSeconds(2));
        assertThat(groups.remember("docstream-indexer", 1_900)).isEqualTo(450.0);
        pass(Duration.ofSeconds(2));
        assertThat(groups.remember("docstream-indexer", 2_000)).as("over both readings, 4 s").isEqualTo(250.0);

        pass(Duration.ofSeconds(59));
        assertThat(groups.remember("docstream-indexer", 2_000)).as("readings older than a minute are dropped")
                .isEqualTo(0.0);
        assertThat(groups.remember("docstream-invalidator", 10)).as("each group has its own readings").isNull();
    }

    @Test
    void aGroupWhoseOffsetsWentBackHasNoRateUntilItMovesOn() {
        groups.remember("docstream-indexer", 5_000);
        pass(Duration.ofSeconds(1));
        assertThat(groups.remember("docstream-indexer", 0)).as("reset, not a negative rate").isNull();
    }

    private void pass(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }
}
