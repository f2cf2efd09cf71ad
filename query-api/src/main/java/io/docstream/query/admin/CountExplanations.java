package io.docstream.query.admin;

import io.docstream.query.admin.SystemStatus.DocumentStates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Why the search index, PostgreSQL and the documents topic disagree on a tenant's live documents, from
 * what is pending, what failed and how far behind the indexer is. A difference nothing explains is said
 * to be one, with what repairs it.
 */
final class CountExplanations {

    private CountExplanations() {
    }

    /** The facts the explanations are drawn from. */
    record Facts(String tenant, long index, long postgres, long topic, boolean topicComplete, Duration scanTimeout,
            DocumentStates states, long indexerLag) {
    }

    static List<String> explain(Facts facts) {
        List<String> explanations = new ArrayList<>();
        if (!facts.topicComplete()) {
            explanations.add("The topic scan stopped after " + facts.scanTimeout().toSeconds() + " s before the end"
                    + " of the documents topic: its count is a lower bound.");
        }
        if (facts.topic() != facts.postgres() && facts.topicComplete()) {
            explanations.add("Topic " + facts.topic() + " vs PostgreSQL " + facts.postgres() + ": "
                    + topicDifference(facts));
        }
        if (facts.index() != facts.postgres()) {
            explanations.add("Index " + facts.index() + " vs PostgreSQL " + facts.postgres() + ": "
                    + (facts.states().pending() > 0 || facts.indexerLag() > 0
                            ? "a batch is being applied (the index is written just before PostgreSQL)."
                            : "nothing is pending, so the index is out of step; './docstream replay --from earliest"
                                    + " --tenant " + facts.tenant() + " --stop-indexer' rebuilds it."));
        }
        return explanations;
    }

    private static String topicDifference(Facts facts) {
        List<String> reasons = new ArrayList<>();
        DocumentStates states = facts.states();
        if (states.pending() > 0) {
            reasons.add(plural(states.pending(), "accepted document") + " not yet indexed (indexer lag "
                    + facts.indexerLag() + ")");
        } else if (facts.indexerLag() > 0) {
            reasons.add("the indexer has " + plural(facts.indexerLag(), "record") + " left to read");
        }
        if (states.failed() > 0) {
            reasons.add(plural(states.failed(), "document") + " failed indexing and wait in the DLQ"
                    + " ('./docstream dlq')");
        }
        if (reasons.isEmpty()) {
            return "nothing is pending or failed, so PostgreSQL is out of step with the topic; './docstream replay"
                    + " --from earliest --tenant " + facts.tenant() + " --stop-indexer' re-applies every document.";
        }
        return String.join("; ", reasons) + ".";
    }

    private static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
