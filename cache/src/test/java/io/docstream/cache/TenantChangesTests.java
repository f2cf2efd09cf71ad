package io.docstream.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class TenantChangesTests {

    private final TenantChanges changes = new TenantChanges(100);

    @Test
    void namesTheDocumentsOfAnUnbrokenChainOfChanges() {
        changes.add(new TenantChanges.Change(20, 10, "a"));
        changes.add(new TenantChanges.Change(30, 20, "b"));
        changes.add(new TenantChanges.Change(40, 30, "a"));

        assertThat(changes.documentsChanged(10, 40)).hasValue(Set.of("a", "b"));
        assertThat(changes.documentsChanged(20, 30)).hasValue(Set.of("b"));
        assertThat(changes.documentsChanged(40, 40)).hasValue(Set.of());
        assertThat(changes.latest()).isEqualTo(40);
    }

    @Test
    void provesNothingAcrossAChangeItNeverHeardOf() {
        changes.add(new TenantChanges.Change(20, 10, "a"));
        changes.add(new TenantChanges.Change(40, 30, "b"));

        assertThat(changes.documentsChanged(10, 40)).isEmpty();
        assertThat(changes.documentsChanged(10, 20)).hasValue(Set.of("a"));
    }

    @Test
    void provesNothingBeyondTheNewestChangeItKnows() {
        changes.add(new TenantChanges.Change(20, 10, "a"));

        assertThat(changes.documentsChanged(10, 25)).isEmpty();
    }

    @Test
    void provesNothingFromAGenerationThatNoChangeFollows() {
        changes.add(new TenantChanges.Change(20, 10, "a"));

        assertThat(changes.documentsChanged(15, 20)).as("a generation never handed out (Redis lost its data)")
                .isEmpty();
    }

    @Test
    void aChangeThatNamesNoDocumentProvesNothing() {
        changes.add(new TenantChanges.Change(20, 10, "a"));
        changes.add(new TenantChanges.Change(30, 20, null));
        changes.add(new TenantChanges.Change(40, 30, "b"));

        assertThat(changes.documentsChanged(10, 40)).isEmpty();
        assertThat(changes.documentsChanged(30, 40)).hasValue(Set.of("b"));
    }

    @Test
    void forgetsItsOldestChangesBeyondItsBoundAndThenProvesNothingFromThem() {
        TenantChanges small = new TenantChanges(2);
        small.add(new TenantChanges.Change(20, 10, "a"));
        small.add(new TenantChanges.Change(30, 20, "b"));
        small.add(new TenantChanges.Change(40, 30, "c"));

        assertThat(small.size()).isEqualTo(2);
        assertThat(small.documentsChanged(10, 40)).isEmpty();
        assertThat(small.documentsChanged(20, 40)).hasValue(Set.of("b", "c"));
    }
}
