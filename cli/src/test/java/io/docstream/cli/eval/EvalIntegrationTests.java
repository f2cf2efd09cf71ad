package io.docstream.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.cli.DocstreamCli;
import io.docstream.cli.SharedCacheRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docstream eval} on a slice of the manpages known-item set (40 pages, 15 queries whose answer is one
 * page) against the embedded runtime the cache tests share. Its tenant holds other tests' documents, so the
 * corpus goes in under an id prefix and the rankings keep only prefixed documents.
 */
@ExtendWith(SharedCacheRuntime.Resolver.class)
class EvalIntegrationTests {

    private static final List<String> MODES = List.of("keyword", "semantic", "hybrid-rrf", "hybrid-weighted");

    @Test
    void measuresEveryModeThroughTheRealIngestAndQueryPath(SharedCacheRuntime shared) throws URISyntaxException {
        Path dataset = Path.of(EvalIntegrationTests.class.getResource("/eval/manpages-slice").toURI());
        Path report = shared.dataDir().resolve("eval-report.json");

        int exit = DocstreamCli.commandLine().execute("eval", "--dataset", dataset.toString(),
                "--ingest-url", shared.ingestUrl(), "--query-url", shared.queryUrls().getFirst(),
                "--indexer-url", "http://localhost:" + shared.options().indexerPort(),
                "--data-dir", shared.dataDir().toString(), "--id-prefix", "eval-slice-",
                "--report", report.toString());

        assertThat(exit).isZero();
        JsonNode json = JsonMapper.builder().build().readTree(report.toFile());
        assertThat(json.at("/ingest/documents").asInt()).isEqualTo(40);
        assertThat(json.at("/ingest/chunks").asLong()).as("every page makes at least one chunk")
                .isGreaterThanOrEqualTo(40);
        assertThat(json.at("/ingest/docsPerSecond").asDouble()).isPositive();
        assertThat(json.path("modes").propertyNames()).containsExactlyElementsOf(MODES);
        for (String mode : MODES) {
            JsonNode figures = json.path("modes").path(mode);
            assertThat(figures.path("answered").asInt()).as(mode).isEqualTo(15);
            assertThat(figures.path("queries").asInt()).as(mode).isEqualTo(15);
            assertThat(figures.path("degraded").asInt()).as(mode).isZero();
            assertThat(figures.path("latencySamples").asInt()).as("first asks are cache misses: " + mode).isEqualTo(15);
            assertThat(figures.path("latencyP99Ms").asDouble()).as(mode)
                    .isGreaterThanOrEqualTo(figures.path("latencyP50Ms").asDouble()).isPositive();
            for (String metric : List.of("ndcg@10", "recall@100", "mrr@10")) {
                assertThat(figures.path(metric).asDouble()).as(mode + " " + metric).isBetween(0.0, 1.0);
            }
        }
        // Hand-checked on this slice: q188 "compare byte sequences" (bcmp.3) and q233 "external agent access
        // points" (XtHooksOfDisplay.3) share no word with their page, so keyword search cannot find them; the other
        // 13 pages share two or more words with their query and are among the 40 + few other documents.
        assertThat(json.at("/modes/keyword/recall@100").asDouble()).isEqualTo(0.8667);
        assertThat(rank(json, "q188", "keyword").isNull()).isTrue();
        assertThat(rank(json, "q233", "keyword").isNull()).isTrue();
        assertThat(json.at("/modes/keyword/mrr@10").asDouble()).isGreaterThanOrEqualTo(0.5);
        assertThat(rank(json, "q188", "semantic").asInt()).as("found by meaning").isPositive();
        assertThat(json.at("/modes/semantic/recall@100").asDouble()).isGreaterThanOrEqualTo(0.9);
        assertThat(json.path("queries")).hasSize(15);
        JsonNode first = json.path("queries").get(0);
        assertThat(first.path("id").asString()).isEqualTo("q3");
        assertThat(first.path("relevant").get(0).asString()).isEqualTo("man1227");
        assertThat(first.path("firstRelevantRank").propertyNames()).containsExactlyElementsOf(MODES);
    }

    /**
     * The default target: a private runtime, started for the run and removed after it, whose services see the
     * {@code --set} properties. With all weight on the dense ranking, weighted fusion ranks every judged page
     * exactly where semantic search does.
     */
    @Test
    void startsAPrivateRuntimeWhoseServicesSeeTheSetProperties(@TempDir Path temp) throws URISyntaxException {
        Path dataset = Path.of(EvalIntegrationTests.class.getResource("/eval/manpages-slice").toURI());
        Path report = temp.resolve("private.json");
        Set<Path> before = privateDirectories();

        int exit = DocstreamCli.commandLine().execute("eval", "--dataset", dataset.toString(),
                "--modes", "semantic,hybrid-weighted", "--set", "docstream.search.semantic-weight=1.0",
                "--set", "docstream.search.keyword-weight=0.0", "--report", report.toString());

        assertThat(exit).isZero();
        JsonNode json = JsonMapper.builder().build().readTree(report.toFile());
        assertThat(json.at("/settings/target").asString()).isEqualTo("private embedded runtime");
        assertThat(json.at("/ingest/documents").asInt()).isEqualTo(40);
        for (JsonNode query : json.path("queries")) {
            assertThat(query.at("/firstRelevantRank/hybrid-weighted")).as(query.path("id").asString())
                    .isEqualTo(query.at("/firstRelevantRank/semantic"));
        }
        assertThat(json.at("/modes/hybrid-weighted/ndcg@10").asDouble())
                .isEqualTo(json.at("/modes/semantic/ndcg@10").asDouble());
        assertThat(privateDirectories()).as("the private runtime's directory is removed").isEqualTo(before);
        assertThat(System.getProperty("docstream.search.semantic-weight")).isNull();
    }

    private static Set<Path> privateDirectories() {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(path -> path.getFileName().toString().startsWith("docstream-eval"))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode rank(JsonNode report, String queryId, String mode) {
        for (JsonNode query : report.path("queries")) {
            if (query.path("id").asString().equals(queryId)) {
                return query.path("firstRelevantRank").path(mode);
            }
        }
        throw new AssertionError("no query " + queryId + " in the report");
    }
}
