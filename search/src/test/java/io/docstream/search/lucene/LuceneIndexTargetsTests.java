package io.docstream.search.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.docstream.search.IndexQuery;
import io.docstream.search.IndexTarget;
import io.docstream.search.IndexWrite;
import io.docstream.search.IndexedChunk;
import io.docstream.search.SearchIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneIndexTargetsTests {

    private static final String ALIAS = "docstream-chunks";
    private static final String MINILM = "all-minilm-l6-v2-q";
    private static final String BGE = "bge-small-en-v1.5-q";

    @TempDir
    Path root;

    @Test
    void createsTheFirstTargetAndPointsTheAliasAtIt() throws Exception {
        try (LuceneIndexTargets targets = LuceneIndexTargets.open(root, ALIAS, MINILM, "1")) {
            assertThat(targets.current()).isEqualTo(new IndexTarget.Ref(ALIAS + "__" + MINILM + "__1", MINILM));
            assertThat(Files.isDirectory(root.resolve(ALIAS + "__" + MINILM + "__1"))).isTrue();
            assertThat(aliasFile()).isEqualTo(ALIAS + "__" + MINILM + "__1");
            targets.serving().write(List.of(replace("doc-1", 1, MINILM, "Penguins huddle")));
            assertThat(targets.list()).containsExactly(new IndexTarget(ALIAS + "__" + MINILM + "__1", MINILM, 1, true));
        }
    }

    @Test
    void switchesServingAtomicallyAndKeepsTheOldTargetForARollback() throws Exception {
        try (LuceneIndexTargets targets = LuceneIndexTargets.open(root, ALIAS, MINILM, "1")) {
            SearchIndex serving = targets.serving();
            serving.write(List.of(replace("doc-1", 1, MINILM, "Penguins huddle")));
            String built = targets.create(BGE, 2, "2");
            targets.open(built).write(List.of(replace("doc-1", 1, BGE, "Penguins huddle"),
                    replace("doc-2", 1, BGE, "Penguins swim")));
            List<IndexTarget.Ref> heard = new CopyOnWriteArrayList<>();
            targets.onSwitch(heard::add);

            AtomicBoolean searching = new AtomicBoolean(true);
            List<Long> counts = new CopyOnWriteArrayList<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                while (searching.get()) {
                    counts.add(serving.countDocuments("acme"));
                }
            });
            targets.pointAliasAt(built);
            Thread.sleep(20);
            searching.set(false);
            reader.join();

            assertThat(counts).isNotEmpty().allSatisfy(count -> assertThat(count).isIn(1L, 2L));
            assertThat(serving.countDocuments("acme")).isEqualTo(2);
            assertThat(serving.searchKeyword(new IndexQuery("acme", 5, Map.of()), "swim")).hasSize(1);
            assertThat(heard).containsExactly(new IndexTarget.Ref(built, BGE));
            assertThat(aliasFile()).isEqualTo(built);
            assertThat(Files.list(root).map(path -> path.getFileName().toString()))
                    .noneMatch(name -> name.endsWith(".tmp"));

            targets.pointAliasAt(ALIAS + "__" + MINILM + "__1");
            assertThat(serving.countDocuments("acme")).isEqualTo(1);
        }
        try (LuceneIndexTargets reopened = LuceneIndexTargets.open(root, ALIAS, MINILM, "1")) {
            assertThat(reopened.current().name()).isEqualTo(ALIAS + "__" + MINILM + "__1");
            assertThat(reopened.list()).extracting(IndexTarget::name, IndexTarget::model, IndexTarget::documents)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(ALIAS + "__" + MINILM + "__1", MINILM, 1L),
                            org.assertj.core.groups.Tuple.tuple(ALIAS + "__" + BGE + "__2", BGE, 2L));
        }
    }

    @Test
    void followsAnAliasMovedByAnotherWriterOnRefresh() throws Exception {
        try (LuceneIndexTargets targets = LuceneIndexTargets.open(root, ALIAS, MINILM, "1")) {
            String built = targets.create(BGE, 2, "2");
            Files.writeString(root.resolve(ALIAS + ".alias"), built + "\n");

            assertThat(targets.current().name()).isEqualTo(ALIAS + "__" + MINILM + "__1");
            assertThat(targets.refresh()).isEqualTo(new IndexTarget.Ref(built, BGE));
        }
    }

    @Test
    void adoptsAFlatIndexOfAnEarlierVersionInPlace() throws Exception {
        try (LuceneSearchIndex legacy = new LuceneSearchIndex(root)) {
            legacy.write(List.of(replace("doc-1", 3, MINILM, "Kingfishers dive")));
        }
        List<Path> filesBefore = regularFiles();

        try (LuceneIndexTargets targets = LuceneIndexTargets.open(root, ALIAS, BGE, "1")) {
            assertThat(targets.current()).isEqualTo(new IndexTarget.Ref(ALIAS + "__" + MINILM + "__0", MINILM));
            assertThat(targets.serving().countDocuments("acme")).isEqualTo(1);
            assertThat(targets.serving().searchKeyword(new IndexQuery("acme", 5, Map.of()), "kingfishers"))
                    .extracting(hit -> hit.documentId()).containsExactly("doc-1");
            assertThat(Files.list(root).filter(Files::isDirectory)).isEmpty();

            String built = targets.create(MINILM, 2, "1");
            targets.open(built).write(List.of(replace("doc-1", 3, MINILM, "Kingfishers dive")));
            targets.pointAliasAt(built);
            targets.drop(ALIAS + "__" + MINILM + "__0");
            assertThat(targets.list()).extracting(IndexTarget::name).containsExactly(built);
        }
        assertThat(filesBefore).isNotEmpty().noneMatch(Files::exists);
    }

    @Test
    void refusesToMixModelsInOneTarget() {
        String current;
        try (LuceneIndexTargets targets = LuceneIndexTargets.open(root, ALIAS, MINILM, "1")) {
            current = targets.current().name();

            assertThatIllegalStateException()
                    .isThrownBy(() -> targets.serving().write(List.of(replace("doc-1", 1, BGE, "Penguins"))))
                    .withMessageContaining(MINILM);
        }
        assertThatIllegalStateException().isThrownBy(() -> new LuceneSearchIndex(root.resolve(current), BGE))
                .withMessageContaining("refusing");
        try (LuceneSearchIndex reopened = new LuceneSearchIndex(root.resolve(current), MINILM)) {
            assertThat(reopened.modelId()).isEqualTo(MINILM);
        }
    }

    @Test
    void refusesToDropTheTargetTheAliasPointsAt() {
        try (LuceneIndexTargets targets = LuceneIndexTargets.open(root, ALIAS, MINILM, "1")) {
            String current = targets.current().name();
            String other = targets.create(MINILM, 2, "2");

            assertThatIllegalStateException().isThrownBy(() -> targets.drop(current)).withMessageContaining("points at");
            targets.drop(other);

            assertThat(targets.list()).extracting(IndexTarget::name).containsExactly(current);
            assertThat(Files.exists(root.resolve(other))).isFalse();
        }
    }

    private String aliasFile() throws Exception {
        return Files.readString(root.resolve(ALIAS + ".alias")).strip();
    }

    private List<Path> regularFiles() throws Exception {
        List<Path> files = new ArrayList<>();
        try (var children = Files.list(root)) {
            children.filter(Files::isRegularFile).filter(path -> !path.getFileName().toString().equals("write.lock"))
                    .forEach(files::add);
        }
        return files;
    }

    private static IndexWrite replace(String id, long version, String model, String text) {
        return new IndexWrite.Replace("acme", id, version, text, text, Map.of(), model,
                List.of(new IndexedChunk(0, text, "hash-" + id, new float[] { 1, 0 })));
    }
}
