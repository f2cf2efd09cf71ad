package io.docstream.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.docstream.embedding.Embedder;
import io.docstream.embedding.EmbeddingConfiguration;
import io.docstream.search.lucene.LuceneIndexTargets;
import io.docstream.embedding.onnx.OnnxEmbedder;
import io.docstream.search.lucene.LuceneSearchIndex;
import io.docstream.search.qdrant.QdrantIndexTargets;
import io.docstream.search.qdrant.QdrantSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class SearchIndexConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withUserConfiguration(SearchIndexConfiguration.class);

    @TempDir
    Path tempDir;

    @Test
    void opensLuceneTargetsAtTheConfiguredPathAndClosesThemWithTheContext() {
        Path path = tempDir.resolve("index");
        IndexWrite write = new IndexWrite.Replace("acme", "doc", 1, "Title", "Penguins huddle together.", Map.of(), "all-minilm-l6-v2-q",
                List.of(new IndexedChunk(0, "Penguins huddle together.", "hash", new float[] { 1, 0 })));

        contextRunner.withPropertyValues("docstream.index.lucene.path=" + path).run(context -> {
            assertThat(context.getBean(IndexTargets.class)).isInstanceOf(LuceneIndexTargets.class);
            context.getBean("searchIndex", SearchIndex.class).write(List.of(write));
        });

        assertThat(Files.isDirectory(path.resolve("docstream-chunks__all-minilm-l6-v2-q__1"))).isTrue();
        try (SearchIndex reopened = new LuceneSearchIndex(path.resolve("docstream-chunks__all-minilm-l6-v2-q__1"))) {
            assertThat(reopened.countDocuments("acme")).isEqualTo(1);
        }
    }

    @Test
    void theEmbedderFollowsTheModelOfTheAliasTarget() {
        Path path = tempDir.resolve("followed");
        try (LuceneIndexTargets targets = LuceneIndexTargets.open(path, "docstream-chunks", "all-minilm-l6-v2-q", "1")) {
            targets.pointAliasAt(targets.create("bge-small-en-v1.5-q", 384, "2"));
        }
        contextRunner.withUserConfiguration(EmbeddingConfiguration.class)
                .withPropertyValues("docstream.index.lucene.path=" + path)
                .run(context -> {
                    assertThat(context.getBean(Embedder.class).modelId()).isEqualTo("bge-small-en-v1.5-q");
                    IndexTargets targets = context.getBean(IndexTargets.class);
                    targets.pointAliasAt("docstream-chunks__all-minilm-l6-v2-q__1");
                    assertThat(context.getBean(Embedder.class).modelId()).isEqualTo("all-minilm-l6-v2-q");
                });
    }

    @Test
    void wiresAQdrantIndexForTheEmbeddersModelWithoutContactingTheServer() {
        OnnxEmbedder embedder = OnnxEmbedder.forModel("all-minilm-l6-v2-q");

        contextRunner.withBean(Embedder.class, () -> embedder)
                .withPropertyValues("docstream.index.type=qdrant", "docstream.index.qdrant.host=qdrant.internal",
                        "docstream.index.qdrant.port=7334", "docstream.index.qdrant.use-tls=true",
                        "docstream.index.qdrant.api-key=s3cret", "docstream.index.qdrant.timeout=2s",
                        "docstream.index.qdrant.alias=chunks", "docstream.index.qdrant.build=7",
                        "docstream.index.qdrant.indexed-metadata-keys=team,lang")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    QdrantIndexTargets targets = context.getBean(QdrantIndexTargets.class);
                    assertThat(targets.defaultModel()).isEqualTo("all-minilm-l6-v2-q");
                    assertThat(targets.settings()).isEqualTo(new QdrantSettings("qdrant.internal", 7334, true, "s3cret",
                            Duration.ofSeconds(2), "chunks", "7", List.of("team", "lang")));
                    SearchIndex index = context.getBean(SearchIndex.class);
                    assertThat(index.name()).isEqualTo("qdrant");
                    context.close();
                    assertThatIllegalStateException().isThrownBy(() -> index.countDocuments("acme"))
                            .withMessageContaining("closed");
                });
    }

    @Test
    void defaultsToLuceneAndToALocalQdrantBehindTheDocstreamAlias() {
        OnnxEmbedder embedder = OnnxEmbedder.forModel("all-minilm-l6-v2-q");

        contextRunner.withBean(Embedder.class, () -> embedder)
                .withPropertyValues("docstream.index.type=qdrant")
                .run(context -> assertThat(context.getBean(QdrantIndexTargets.class).settings()).isEqualTo(
                        new QdrantSettings("localhost", 6334, false, "", Duration.ofSeconds(5), "docstream-chunks", "1",
                                List.of())));
        contextRunner.withPropertyValues("docstream.index.lucene.path=" + tempDir.resolve("default"))
                .run(context -> assertThat(context.getBean(IndexTargets.class)).isInstanceOf(LuceneIndexTargets.class));
    }

    @Test
    void usesAnIndexAlreadyInTheContext() {
        try (SearchIndex shared = new LuceneSearchIndex(tempDir.resolve("shared"))) {
            contextRunner.withBean("searchIndex", SearchIndex.class, () -> shared)
                    .run(context -> assertThat(context.getBean(SearchIndex.class)).isSameAs(shared));
        }
    }
}
