package io.docstream.indexer.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ReplayProgressTests {

    private static final TopicPartition P0 = new TopicPartition("docs", 0);
    private static final TopicPartition P1 = new TopicPartition("docs", 1);

    @Test
    void countsRecordsBetweenTheStartAndTheGoalOnly() {
        ReplayProgress progress = ReplayProgress.of(Map.of(P0, 0L, P1, 10L), Map.of(P0, 100L, P1, 30L),
                Map.of(P0, 40L, P1, 35L));

        assertThat(progress.total()).isEqualTo(120);
        assertThat(progress.records()).as("p1 went past its goal; records after the start do not count").isEqualTo(60);
        assertThat(progress.lag()).isEqualTo(60);
        assertThat(progress.complete()).isFalse();
        assertThat(progress.perSecond(Duration.ofSeconds(6))).isEqualTo(10.0);
        assertThat(progress.etaSeconds(Duration.ofSeconds(6))).isEqualTo(6);
    }

    @Test
    void isCompleteWhenEveryPartitionReachedItsGoal() {
        ReplayProgress progress = ReplayProgress.of(Map.of(P0, 0L, P1, 5L), Map.of(P0, 3L, P1, 5L),
                Map.of(P0, 3L));

        assertThat(progress.complete()).isTrue();
        assertThat(progress.etaSeconds(Duration.ofSeconds(1))).isZero();
    }

    @Test
    void hasNoEtaBeforeAnythingWasConsumed() {
        ReplayProgress progress = ReplayProgress.of(Map.of(P0, 0L), Map.of(P0, 3L), Map.of(P0, 0L));

        assertThat(progress.etaSeconds(Duration.ofSeconds(1))).isNull();
        assertThat(progress.lag()).isEqualTo(3);
    }
}
