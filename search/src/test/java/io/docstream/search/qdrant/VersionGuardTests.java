package io.docstream.search.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.search.IndexWrite;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionGuardTests {

    @Test
    void skipsAWriteOlderThanTheStoredVersion() {
        VersionGuard.Decision decision = VersionGuard.decide(List.of(replace("doc", 4)), Map.of("acme/doc", 5L));

        assertThat(decision.apply()).isEmpty();
        assertThat(decision.skipped()).containsExactly("acme/doc");
    }

    @Test
    void appliesTheSameVersionAgainAndNewerOnes() {
        IndexWrite same = replace("doc", 5);
        IndexWrite newer = replace("other", 2);

        VersionGuard.Decision decision = VersionGuard.decide(List.of(same, newer),
                Map.of("acme/doc", 5L, "acme/other", 1L));

        assertThat(decision.apply()).containsExactly(same, newer);
        assertThat(decision.skipped()).isEmpty();
    }

    @Test
    void keepsATombstoneAgainstALateOlderReplace() {
        VersionGuard.Decision decision = VersionGuard.decide(List.of(replace("doc", 4)), Map.of("acme/doc", 5L));

        assertThat(decision.skipped()).containsExactly("acme/doc");
    }

    @Test
    void guardsVersionsWithinOneBatchAndSendsOnlyTheLastAcceptedWritePerDocument() {
        IndexWrite remove = new IndexWrite.Remove("acme", "doc", 5);
        IndexWrite other = replace("other", 1);

        VersionGuard.Decision decision = VersionGuard.decide(
                List.of(replace("doc", 3), remove, replace("doc", 4), other, replace("doc", 2)), Map.of());

        assertThat(decision.apply()).containsExactly(remove, other);
        assertThat(decision.skipped()).containsExactly("acme/doc", "acme/doc");
    }

    @Test
    void treatsAnUnknownDocumentAsHoldingNoVersion() {
        IndexWrite remove = new IndexWrite.Remove("acme", "never-written", Long.MIN_VALUE);

        assertThat(VersionGuard.decide(List.of(remove), Map.of()).apply()).containsExactly(remove);
    }

    private static IndexWrite replace(String documentId, long version) {
        return new IndexWrite.Replace("acme", documentId, version, "Title", "", Map.of(), "model", List.of());
    }
}
