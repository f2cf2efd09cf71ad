package io.docstream.query.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.query.admin.CountExplanations.Facts;
import io.docstream.query.admin.SystemStatus.DocumentStates;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CountExplanationsTests {

    private static final Duration SCAN = Duration.ofSeconds(10);

    @Test
    void equalCountsNeedNoExplanation() {
        assertThat(CountExplanations.explain(facts(20, 20, 20, true, states(0, 20, 0, 0), 0))).isEmpty();
    }

    @Test
    void documentsAcceptedButNotYetIndexedExplainTheTopicBeingAhead() {
        assertThat(CountExplanations.explain(facts(17, 17, 20, true, states(3, 17, 0, 0), 3))).containsExactly(
                "Topic 20 vs PostgreSQL 17: 3 accepted documents not yet indexed (indexer lag 3).");
    }

    @Test
    void failedDocumentsPointToTheDeadLetterQueue() {
        assertThat(CountExplanations.explain(facts(19, 19, 20, true, states(0, 19, 1, 0), 0))).containsExactly(
                "Topic 20 vs PostgreSQL 19: 1 document failed indexing and wait in the DLQ ('./docstream dlq').");
    }

    @Test
    void aDifferenceNothingExplainsSaysHowToRepairIt() {
        assertThat(CountExplanations.explain(facts(18, 20, 20, true, states(0, 20, 0, 0), 0))).singleElement()
                .asString().startsWith("Index 18 vs PostgreSQL 20: nothing is pending")
                .contains("./docstream replay --from earliest --tenant acme --stop-indexer");
    }

    @Test
    void anIndexAheadOfPostgresqlWhileABatchIsAppliedIsInFlight() {
        assertThat(CountExplanations.explain(facts(20, 19, 20, true, states(1, 19, 0, 0), 1))).containsExactly(
                "Topic 20 vs PostgreSQL 19: 1 accepted document not yet indexed (indexer lag 1).",
                "Index 20 vs PostgreSQL 19: a batch is being applied (the index is written just before PostgreSQL).");
    }

    @Test
    void anIncompleteTopicScanIsALowerBoundNotADifference() {
        assertThat(CountExplanations.explain(facts(20, 20, 7, false, states(0, 20, 0, 0), 0))).containsExactly(
                "The topic scan stopped after 10 s before the end of the documents topic: its count is a lower bound.");
    }

    private static Facts facts(long index, long postgres, long topic, boolean complete, DocumentStates states,
            long lag) {
        return new Facts("acme", index, postgres, topic, complete, SCAN, states, lag);
    }

    private static DocumentStates states(long pending, long indexed, long failed, long deleted) {
        return new DocumentStates(pending, indexed, failed, deleted);
    }
}
