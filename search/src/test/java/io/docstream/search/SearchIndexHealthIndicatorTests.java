package io.docstream.search;

import static io.docstream.platform.health.HealthAssertions.assertDownWithLatency;
import static io.docstream.platform.health.HealthAssertions.assertUpWithLatency;
import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.search.lucene.LuceneSearchIndex;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;

class SearchIndexHealthIndicatorTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path temp;

    @Test
    void theIndexIsUpWhileOpenAndDownOnceClosed() {
        LuceneSearchIndex index = new LuceneSearchIndex(temp.resolve("index"));
        SearchIndexHealthIndicator indicator = new SearchIndexHealthIndicator(index, TIMEOUT);
        Health up = indicator.health();
        assertUpWithLatency(up);
        assertThat(up.getDetails()).containsEntry("adapter", "lucene");

        index.close();
        assertDownWithLatency(indicator.health());
    }
}
