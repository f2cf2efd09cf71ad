package io.docstream.search.chunking;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.embedding.Embedder;
import io.docstream.embedding.EmbeddingConfiguration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ChunkingConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withUserConfiguration(EmbeddingConfiguration.class, ChunkingConfiguration.class);

    @Test
    void providesMiniLmAndAChunkerOfItsWholeWindowWith32OverlapByDefault() {
        contextRunner.run(context -> {
            assertThat(context.getBean("embedder", Embedder.class).modelId()).isEqualTo("all-minilm-l6-v2-q");
            Chunker chunker = context.getBean(Chunker.class);
            // 200 by default, capped at MiniLM's 128-token window less [CLS] and [SEP].
            assertThat(chunker.maxTokens()).isEqualTo(126);
            assertThat(chunker.overlapTokens()).isEqualTo(32);
        });
    }

    @Test
    void capsTheChunkSizeAtTheModelsWindow() {
        contextRunner.withPropertyValues("docstream.embedding.model=bge-small-en-v1.5-q",
                "docstream.chunking.max-tokens=2000", "docstream.chunking.overlap-tokens=64").run(context -> {
                    assertThat(context.getBean(Embedder.class).modelId()).isEqualTo("bge-small-en-v1.5-q");
                    assertThat(context.getBean(Chunker.class).maxTokens()).isEqualTo(510);
                    assertThat(context.getBean(Chunker.class).overlapTokens()).isEqualTo(64);
                });
    }

    @Test
    void failsAtStartupForAnUnknownModel() {
        contextRunner.withPropertyValues("docstream.embedding.model=gpt-embedding").run(context ->
                assertThat(context).getFailure().rootCause()
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("all-minilm-l6-v2-q"));
    }

    @Test
    void usesAnEmbedderAlreadyInTheContext() {
        Embedder shared = new FixedEmbedder();
        contextRunner.withBean("embedder", Embedder.class, () -> shared).run(context -> {
            assertThat(context.getBean(Embedder.class)).isSameAs(shared);
            assertThat(context.getBean(Chunker.class).maxTokens()).isEqualTo(62);
        });
    }

    /** A stand-in registered the way the embedded runtime registers its shared embedder. */
    private static final class FixedEmbedder implements Embedder {

        @Override
        public String modelId() {
            return "fixed";
        }

        @Override
        public int dimensions() {
            return 2;
        }

        @Override
        public int maxTokens() {
            return 64;
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            return texts.stream().map(text -> new float[] { 1, 0 }).toList();
        }

        @Override
        public float[] embedQuery(String query) {
            return new float[] { 1, 0 };
        }
    }
}
