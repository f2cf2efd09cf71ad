package io.docstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.cli.DocstreamCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class BenchCommandTests {

    @Test
    void scenariosAreNamedWithHyphensAndDefaultToTheEmbeddedRuntime() {
        ParseResult parsed = DocstreamCli.commandLine().parseArgs("bench", "search-uncached");
        BenchCommand bench = (BenchCommand) parsed.subcommand().commandSpec().userObject();

        assertThat(bench).extracting("scenario", "documents", "loadDuration")
                .containsExactly(BenchCommand.Scenario.search_uncached, 600, Duration.ofSeconds(10));
        assertThat(bench.services.indexerUrl()).isEqualTo("http://localhost:8082");
        assertThat(bench.services.invalidatorUrl()).isEqualTo("http://localhost:8083");
    }

    @Test
    void anUnknownScenarioIsAUsageErrorListingTheScenarios() {
        StringWriter err = new StringWriter();
        CommandLine cli = DocstreamCli.commandLine().setErr(new PrintWriter(err));

        assertThat(cli.execute("bench", "search_cached")).isEqualTo(2);
        assertThat(err.toString()).contains("'search_cached' is not a scenario", "search-cached", "all");
    }

    @Test
    void allRunsEveryOtherScenario() {
        assertThat(BenchSuite.SCENARIOS).containsExactlyInAnyOrder("ingest", "replay", "update", "search-cached",
                "search-uncached", "freshness", "cache", "memory");
    }
}
