package io.docstream.search.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.search.SearchIndexHealthIndicator;
import io.docstream.search.DocumentHit;
import io.docstream.search.IndexHit;
import io.docstream.search.IndexQuery;
import io.docstream.search.IndexTarget;
import io.docstream.search.IndexWrite;
import io.docstream.search.IndexedChunk;
import io.docstream.search.SearchIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * A query API in its own process follows the Lucene index the indexer writes: same directory, one writer (the
 * indexer's {@link LuceneIndexTargets#open}) and a read-only follower ({@link LuceneIndexTargets#openReadOnly})
 * that must never take the write lock.
 */
class LuceneReadOnlyFollowerTests {

    private static final String ALIAS = "docstream-chunks";
    private static final String MINILM = "all-minilm-l6-v2-q";
    private static final String BGE = "bge-small-en-v1.5-q";
    private static final String FIRST = ALIAS + "__" + MINILM + "__1";
    private static final IndexQuery ACME = new IndexQuery("acme", 5, Map.of());

    @TempDir
    Path root;

    @Test
    void seesTheWritersCommitsAfterARefreshWithoutTakingTheWriteLock() {
        try (LuceneIndexTargets writer = LuceneIndexTargets.open(root, ALIAS, MINILM, "1")) {
            writer.serving().write(List.of(replace("doc-1", 1, MINILM, "Penguins huddle")));
            try (LuceneIndexTargets follower = LuceneIndexTargets.openReadOnly(root, ALIAS)) {
                SearchIndex serving = follower.serving();
                assertThat(follower.current()).isEqualTo(new IndexTarget.Ref(FIRST, MINILM));
                assertThat(serving.readOnly()).isTrue();
                assertThat(keywordIds(serving.searchKeyword(ACME, "penguins"))).containsExactly("doc-1");

                // The writer keeps writing while the follower is open: the follower holds no lock in its way.
                writer.serving().write(List.of(replace("doc-2", 1, MINILM, "Penguins swim")));
                assertThat(serving.countDocuments("acme")).isEqualTo(1);

                assertThat(follower.refresh()).isEqualTo(new IndexTarget.Ref(FIRST, MINILM));
                assertThat(serving.countDocuments("acme")).isEqualTo(2);
                assertThat(keywordIds(serving.searchKeyword(ACME, "swim"))).containsExactly("doc-2");
                assertThat(documentIds(serving.searchDense(ACME, new float[] { 1, 0 })))
                        .containsExactlyInAnyOrder("doc-1", "doc-2");

                writer.serving().write(List.of(new IndexWrite.Remove("acme", "doc-1", 2)));
                follower.refresh();
                assertThat(keywordIds(serving.searchKeyword(ACME, "penguins"))).containsExactly("doc-2");
            }
        }
    }

    /**
     * A replay lets the writer defer its commits and refreshes: what it wrote becomes searchable, durable and
     * visible to a follower (or to the next process after a crash) only with the next commit, which also records the
     * source positions the writes covered. The version guard still sees the unrefreshed writes.
     */
    @Test
    void deferredWritesBecomeDurableWithTheirPositionsOnlyAtTheNextCommit() {
        try (LuceneIndexTargets writer = LuceneIndexTargets.open(root, ALIAS, MINILM, "1")) {
            SearchIndex index = writer.serving();
            index.write(List.of(replace("doc-1", 1, MINILM, "Penguins huddle")), Map.of("documents-0", 10L), false);
            assertThat(index.durablePositions()).isEqualTo(Map.of("documents-0", 10L));
            try (LuceneIndexTargets follower = LuceneIndexTargets.openReadOnly(root, ALIAS)) {
                index.write(List.of(replace("doc-2", 2, MINILM, "Penguins swim")),
                        Map.of("documents-0", 20L, "documents-1", 5L), true);
                assertThat(index.write(List.of(replace("doc-2", 1, MINILM, "Penguins dive")), Map.of(), true))
                        .as("an older version than an unrefreshed write is still refused").containsExactly("acme/doc-2");
                assertThat(index.countDocuments("acme")).as("not refreshed yet").isEqualTo(1);
                assertThat(index.durablePositions()).as("not durable yet").isEqualTo(Map.of("documents-0", 10L));
                follower.refresh();
                assertThat(follower.serving().countDocuments("acme")).as("the follower sees commits only").isEqualTo(1);

                // A later write without deferral commits everything before it; positions only ever move forward.
                index.write(List.of(replace("doc-3", 1, MINILM, "Seals")), Map.of("documents-0", 15L), false);
                assertThat(index.durablePositions()).isEqualTo(Map.of("documents-0", 20L, "documents-1", 5L));
                assertThat(index.countDocuments("acme")).isEqualTo(3);
                assertThat(keywordIds(index.searchKeyword(ACME, "swim"))).containsExactly("doc-2");
                assertThat(keywordIds(index.searchKeyword(ACME, "dive"))).isEmpty();
                follower.refresh();
                assertThat(follower.serving().countDocuments("acme")).isEqualTo(3);

                index.write(List.of(replace("doc-4", 1, MINILM, "Walruses")), Map.of("documents-1", 9L), true);
                index.commit();
                assertThat(index.durablePositions()).isEqualTo(Map.of("documents-0", 20L, "documents-1", 9L));
                follower.refresh();
                assertThat(follower.serving().countDocuments("acme")).isEqualTo(4);
            }
        }
        try (LuceneIndexTargets reopened = LuceneIndexTargets.open(root, ALIAS, MINILM, "1")) {
            assertThat(reopened.serving().durablePositions()).as("kept in the commit across a reopen")
                    .isEqualTo(Map.of("documents-0", 20L, "documents-1", 9L));
        }
    }

    @Test
    void refusesEveryWriteAndLeavesTheIndexAsItWas() {
        try (LuceneIndexTargets writer = LuceneIndexTargets.open(root, ALIAS, MINILM, "1")) {
            writer.serving().write(List.of(replace("doc-1", 1, MINILM, "Penguins huddle")));
            try (LuceneIndexTargets follower = LuceneIndexTargets.openReadOnly(root, ALIAS)) {
                assertThatThrownBy(() -> follower.serving().write(List.of(replace("doc-2", 1, MINILM, "Seals"))))
                        .isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageContaining("read-only")
                        .hasMessageContaining("docstream.index.lucene.read-only");
                assertThatThrownBy(() -> follower.open(FIRST).write(List.of()))
                        .isInstanceOf(UnsupportedOperationException.class);
                assertThatThrownBy(() -> follower.create(BGE, 2, "2"))
                        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("read-only");
                assertThatThrownBy(() -> follower.pointAliasAt(FIRST))
                        .isInstanceOf(UnsupportedOperationException.class);
                assertThatThrownBy(() -> follower.drop(FIRST)).isInstanceOf(UnsupportedOperationException.class);
            }
            assertThat(Files.isDirectory(root.resolve(ALIAS + "__" + BGE + "__2"))).isFalse();
            writer.serving().write(List.of(replace("doc-3", 1, MINILM, "Walruses")));
            assertThat(writer.serving().countDocuments("acme")).isEqualTo(2);
        }
    }

    @Test
    void followsTheAliasWhenTheWriterSwitchesTargets() {
        try (LuceneIndexTargets writer = LuceneIndexTargets.open(root, ALIAS, MINILM, "1")) {
            writer.serving().write(List.of(replace("doc-1", 1, MINILM, "Penguins huddle")));
            try (LuceneIndexTargets follower = LuceneIndexTargets.openReadOnly(root, ALIAS)) {
                String rebuilt = writer.create(BGE, 2, "2");
                writer.open(rebuilt).write(List.of(replace("doc-1", 1, BGE, "Penguins huddle"),
                        replace("doc-2", 1, BGE, "Penguins swim")));
                writer.pointAliasAt(rebuilt);

                assertThat(follower.refresh()).isEqualTo(new IndexTarget.Ref(rebuilt, BGE));
                assertThat(follower.serving().countDocuments("acme")).isEqualTo(2);

                writer.pointAliasAt(FIRST);
                writer.drop(rebuilt);
                assertThat(follower.refresh()).isEqualTo(new IndexTarget.Ref(FIRST, MINILM));
                assertThat(follower.serving().countDocuments("acme")).isEqualTo(1);
                assertThat(follower.refresh().name()).isEqualTo(FIRST);
            }
        }
    }

    @Test
    void servesNothingUntilTheWriterCreatesTheAlias() {
        try (LuceneIndexTargets follower = LuceneIndexTargets.openReadOnly(root, ALIAS)) {
            assertThat(follower.serves()).isFalse();
            assertThatIllegalStateException().isThrownBy(() -> follower.serving().countDocuments("acme"));
            assertThatIllegalStateException().isThrownBy(follower::refresh).withMessageContaining("No alias");
            assertThat(Files.exists(root.resolve(ALIAS + ".alias"))).isFalse();

            try (LuceneIndexTargets writer = LuceneIndexTargets.open(root, ALIAS, MINILM, "1")) {
                writer.serving().write(List.of(replace("doc-1", 1, MINILM, "Penguins huddle")));
                assertThat(follower.refresh()).isEqualTo(new IndexTarget.Ref(FIRST, MINILM));
                assertThat(follower.serving().countDocuments("acme")).isEqualTo(1);
            }
        }
    }

    @Test
    void reportsItselfAsReadOnlyInTheIndexHealth() {
        try (LuceneIndexTargets writer = LuceneIndexTargets.open(root, ALIAS, MINILM, "1");
                LuceneIndexTargets follower = LuceneIndexTargets.openReadOnly(root, ALIAS)) {
            Health followerHealth = new SearchIndexHealthIndicator(follower.serving(), Duration.ofSeconds(5)).health();
            assertThat(followerHealth.getStatus()).isEqualTo(Status.UP);
            assertThat(followerHealth.getDetails()).containsEntry("adapter", "lucene").containsEntry("mode", "read-only");
            assertThat(new SearchIndexHealthIndicator(writer.serving(), Duration.ofSeconds(5)).health().getDetails())
                    .doesNotContainKey("mode");
        }
    }

    private static List<String> documentIds(List<IndexHit> hits) {
        return hits.stream().map(IndexHit::documentId).toList();
    }

    private static List<String> keywordIds(List<DocumentHit> hits) {
        return hits.stream().map(DocumentHit::documentId).toList();
    }

    private static IndexWrite replace(String id, long version, String model, String text) {
        return new IndexWrite.Replace("acme", id, version, text, text, Map.of(), model,
                List.of(new IndexedChunk(0, text, "hash-" + id, new float[] { 1, 0 })));
    }
}
