package io.docstream.query.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.tenancy.Scope;
import io.docstream.platform.tracing.RecordedSpans;
import io.docstream.query.QueryApiTestSupport;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A search is one trace: the page cache lookup, and under it the query embedding (with its own cache
 * lookup), both retrievals and the fusion. A real tracer SDK stands in for the agent, which would add the
 * HTTP server span above all of these.
 */
class SearchTracingIntegrationTests extends QueryApiTestSupport {

    private static final String TENANT = "tracing-acme";
    private static final String KEY = createKey(TENANT, Scope.SEARCH);
    private static final AttributeKey<String> LAYER = AttributeKey.stringKey("docstream.cache.layer");
    private static final AttributeKey<String> CACHE = AttributeKey.stringKey("docstream.cache.name");
    private static boolean seeded;

    private RecordedSpans spans;

    @BeforeEach
    void seedOnceAndRecord() {
        if (!seeded) {
            seed(TENANT, "puffins", "Seabirds", "Puffins dive for sand eels and nest in burrows on sea cliffs.",
                    Map.of("lang", "en"), 1);
            seed(TENANT, "ferns", "Old plants", "Ferns spread by spores and grew in forests before flowers existed.",
                    Map.of("lang", "en"), 1);
            seeded = true;
        }
        spans = RecordedSpans.install();
    }

    @AfterEach
    void stopRecording() {
        spans.close();
    }

    @Test
    void aHybridSearchIsOneTraceFromThePageCacheLookupToTheFusion() throws Exception {
        HttpResponse<String> response = get("/api/v1/search?q=" + encode("birds that dive into the sea"), KEY);
        assertThat(response.statusCode()).isEqualTo(200);

        SpanData page = spans.named("cache lookup").stream()
                .filter(span -> "search".equals(span.getAttributes().get(CACHE))).findFirst().orElseThrow();
        assertThat(page.getAttributes().get(LAYER)).isEqualTo("miss");
        assertThat(page.getParentSpanContext().isValid()).as("the root, without the agent's server span").isFalse();
        SpanData embed = spans.only("embed query");
        SpanData dense = spans.only("retrieve dense");
        SpanData keyword = spans.only("retrieve keyword");
        SpanData fuse = spans.only("fuse");
        assertThat(List.of(embed, dense, keyword, fuse)).allSatisfy(span -> {
            assertThat(span.getTraceId()).isEqualTo(page.getTraceId());
            assertThat(span.getParentSpanId()).as(span.getName()).isEqualTo(page.getSpanId());
        });
        SpanData embeddingLookup = spans.named("cache lookup").stream()
                .filter(span -> "embedding".equals(span.getAttributes().get(CACHE))).findFirst().orElseThrow();
        assertThat(embeddingLookup.getParentSpanId()).isEqualTo(embed.getSpanId());
        assertThat(embeddingLookup.getAttributes().get(LAYER)).isEqualTo("miss");
        assertThat(embed.getAttributes().get(AttributeKey.booleanKey("docstream.cache_hit"))).isFalse();
        assertThat(embed.getAttributes().get(AttributeKey.stringKey("docstream.model"))).isEqualTo(embedder.modelId());
        assertThat(dense.getAttributes().get(AttributeKey.longKey("docstream.hits"))).isPositive();
        assertThat(keyword.getAttributes().get(AttributeKey.longKey("docstream.candidates"))).isPositive();
        assertThat(fuse.getAttributes().get(AttributeKey.stringKey("docstream.fusion"))).isEqualTo("weighted");
        assertThat(fuse.getAttributes().get(AttributeKey.longKey("docstream.results"))).isPositive();
    }

    @Test
    void aRepeatedSearchIsAnsweredByTheFirstCacheLayerWithoutRetrieving() throws Exception {
        String query = "/api/v1/search?q=" + encode("plants older than flowers");
        assertThat(get(query, KEY).statusCode()).isEqualTo(200);
        spans.clear();

        assertThat(get(query, KEY).statusCode()).isEqualTo(200);

        assertThat(spans.only("cache lookup").getAttributes().get(LAYER)).isEqualTo("l1");
        assertThat(spans.named("retrieve dense")).isEmpty();
        assertThat(spans.named("embed query")).isEmpty();
    }
}
