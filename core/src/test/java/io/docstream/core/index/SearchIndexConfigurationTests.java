package io.docstream.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.core.index.lucene.LuceneSearchIndex;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void opensALuceneIndexAtTheConfiguredPathAndClosesItWithTheContext() {
        Path path = tempDir.resolve("index");
        IndexWrite write = new IndexWrite.Replace("acme", "doc", 1, "Title", Map.of(), "model",
                List.of(new IndexedChunk(0, "Penguins huddle together.", "hash", new float[] { 1, 0 })));

        contextRunner.withPropertyValues("docstream.index.lucene.path=" + path).run(context -> {
            SearchIndex index = context.getBean("searchIndex", SearchIndex.class);
            assertThat(index).isInstanceOf(LuceneSearchIndex.class);
            index.write(List.of(write));
        });

        assertThat(Files.isDirectory(path)).isTrue();
        try (SearchIndex reopened = new LuceneSearchIndex(path)) {
            assertThat(reopened.countDocuments("acme")).isEqualTo(1);
        }
    }

    @Test
    void usesAnIndexAlreadyInTheContext() {
        try (SearchIndex shared = new LuceneSearchIndex(tempDir.resolve("shared"))) {
            contextRunner.withBean("searchIndex", SearchIndex.class, () -> shared)
                    .run(context -> assertThat(context.getBean(SearchIndex.class)).isSameAs(shared));
        }
    }
}
