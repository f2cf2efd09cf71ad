package io.docstream.embedding;

import static io.docstream.platform.health.HealthAssertions.assertDownWithLatency;
import static io.docstream.platform.health.HealthAssertions.assertUpWithLatency;
import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.embedding.onnx.OnnxEmbedder;
import io.docstream.platform.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;

class EmbeddingModelHealthIndicatorTests {

    @Test
    void theModelIsAskedOncePerIntervalWhileHealthyAndAgainAfterAFailure() {
        CountingEmbedder model = new CountingEmbedder(OnnxEmbedder.forModel("all-minilm-l6-v2-q"));
        MutableClock clock = new MutableClock();
        EmbeddingModelHealthIndicator indicator = new EmbeddingModelHealthIndicator(model, Duration.ofSeconds(30),
                Duration.ofMinutes(1), clock);

        Health up = indicator.health();
        assertUpWithLatency(up);
        assertThat(up.getDetails()).containsEntry("model", "all-minilm-l6-v2-q").containsEntry("dimensions", 384);
        assertThat(indicator.health()).isEqualTo(up);
        assertThat(model.calls.get()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(2));
        model.failing = true;
        assertDownWithLatency(indicator.health());
        model.failing = false;
        assertUpWithLatency(indicator.health());
        assertThat(model.calls.get()).isEqualTo(3);
    }

    /** The real model, counting calls, and failing on demand as a broken runtime would. */
    private static final class CountingEmbedder implements Embedder {

        private final Embedder delegate;
        private final AtomicInteger calls = new AtomicInteger();
        private volatile boolean failing;

        CountingEmbedder(Embedder delegate) {
            this.delegate = delegate;
        }

        @Override
        public String modelId() {
            return delegate.modelId();
        }

        @Override
        public int dimensions() {
            return delegate.dimensions();
        }

        @Override
        public int maxTokens() {
            return delegate.maxTokens();
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            return delegate.embedDocuments(texts);
        }

        @Override
        public float[] embedQuery(String query) {
            calls.incrementAndGet();
            if (failing) {
                throw new IllegalStateException("model session closed");
            }
            return delegate.embedQuery(query);
        }
    }
}
