package io.docstream.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.cli.DocstreamCli;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The search quality floor: {@code docstream eval} with the default settings, in a private runtime, on a fixed
 * slice of the man-pages set (80 queries, their 80 pages and 220 others, cut by
 * {@code docs/eval/SliceCollection.java}). The floors sit a little below what the defaults reach on this slice
 * (docs/search-quality.md), so a change that loses quality fails the build: chunk-level keyword retrieval, for
 * one, scores 0.78 here against the floor of 0.81.
 */
class SearchQualityIntegrationTests {

    static final double HYBRID_FLOOR = 0.88;
    static final double KEYWORD_FLOOR = 0.81;
    static final double SEMANTIC_FLOOR = 0.82;

    @Test
    void theDefaultsKeepTheirQualityOnTheManPagesSlice(@TempDir Path temp) throws URISyntaxException {
        Path dataset = Path.of(SearchQualityIntegrationTests.class.getResource("/eval/manpages-quality").toURI());
        Path report = temp.resolve("quality.json");

        int exit = DocstreamCli.commandLine().execute("eval", "--dataset", dataset.toString(),
                "--modes", "keyword,semantic,hybrid", "--report", report.toString());

        assertThat(exit).isZero();
        JsonNode modes = JsonMapper.builder().build().readTree(report.toFile()).path("modes");
        double hybrid = modes.path("hybrid").path("ndcg@10").asDouble();
        double keyword = modes.path("keyword").path("ndcg@10").asDouble();
        double semantic = modes.path("semantic").path("ndcg@10").asDouble();
        assertThat(modes.path("hybrid").path("queries").asInt()).isEqualTo(80);
        assertThat(hybrid).as("default hybrid nDCG@10").isGreaterThanOrEqualTo(HYBRID_FLOOR);
        assertThat(keyword).as("keyword nDCG@10").isGreaterThanOrEqualTo(KEYWORD_FLOOR);
        assertThat(semantic).as("semantic nDCG@10").isGreaterThanOrEqualTo(SEMANTIC_FLOOR);
        assertThat(hybrid).as("the default is not below the better single mode").isGreaterThanOrEqualTo(
                Math.max(keyword, semantic));
        for (String mode : new String[] {"keyword", "semantic", "hybrid"}) {
            assertThat(modes.path(mode).path("degraded").asInt()).as(mode).isZero();
        }
    }
}
