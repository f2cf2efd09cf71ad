package io.docstream.cli.queries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.cli.DocstreamCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.json.JsonMapper;

class QueriesCommandTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Clock NOON = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void listsTheTopQueriesOfTheLastDayByDefault() {
        QueriesCommand queries = parse();

        assertThat(queries.path(QueriesCommand.Kind.parse(queries.kind)))
                .isEqualTo("/api/v1/admin/analytics/queries?kind=top&limit=20&from=2026-12-06T12%3A00%3A00Z");
        assertThat(queries.services.queryUrl()).isEqualTo("http://localhost:8080");
    }

    @Test
    void turnsKindsAndTimesIntoTheAnalyticsApi() {
        QueriesCommand slow = parse("slow", "--since", "PT2H", "--until", "2026-12-07T11:30:00Z", "--limit", "5");
        QueriesCommand summary = parse("summary", "--since", "2026-12-01T00:00:00Z");

        assertThat(slow.path(QueriesCommand.Kind.parse(slow.kind))).isEqualTo("/api/v1/admin/analytics/queries"
                + "?kind=slow&limit=5&from=2026-12-07T10%3A00%3A00Z&to=2026-12-07T11%3A30%3A00Z");
        assertThat(summary.path(QueriesCommand.Kind.parse(summary.kind)))
                .isEqualTo("/api/v1/admin/analytics/summary?from=2026-12-01T00%3A00%3A00Z");
    }

    @Test
    void refusesAnUnknownKindABadTimeAndALimitTheApiWouldRefuse() {
        assertThatThrownBy(() -> QueriesCommand.Kind.parse("popular"))
                .isInstanceOf(QueriesCommand.QueriesException.class).hasMessageContaining("top, no-results, slow");
        QueriesCommand badTime = parse("top", "--since", "yesterday");
        assertThatThrownBy(() -> badTime.path(QueriesCommand.Kind.TOP)).hasMessageContaining("--since")
                .hasMessageContaining("yesterday");
        QueriesCommand badLimit = parse("top", "--limit", "0");
        assertThatThrownBy(() -> badLimit.path(QueriesCommand.Kind.TOP)).hasMessageContaining("--limit");
    }

    @Test
    void printsQueriesAndModesAsAlignedTablesWithHashOnlyQueriesByTheirHash() {
        List<String> queries = QueriesCommand.queryTable(JSON.readTree("""
                [{"query": "kafka streams", "queryHash": "aa", "searches": 12, "zeroResults": 0,
                  "avgLatencyMs": 4.25, "maxLatencyMs": 9.0},
                 {"query": null, "queryHash": "0123456789abcdef", "searches": 3, "zeroResults": 3,
                  "avgLatencyMs": 1.0, "maxLatencyMs": 1.5}]
                """)).lines().toList();
        List<String> modes = QueriesCommand.summaryTable(JSON.readTree("""
                [{"mode": "hybrid", "searches": 20, "noResultRate": 0.25, "cacheHitRate": 0.6, "degraded": 1,
                  "p50LatencyMs": 2.0, "p95LatencyMs": 50.0}]
                """)).lines().toList();

        assertThat(queries).hasSize(3);
        assertThat(queries.get(0)).contains("QUERY", "SEARCHES", "NO RESULTS", "AVG MS", "MAX MS");
        assertThat(queries.get(1)).contains("kafka streams", "12", "4.3", "9.0");
        assertThat(queries.get(2)).contains("(hash 0123456789ab)");
        assertThat(queries.get(2).indexOf(" 3 ")).isGreaterThan(0);
        assertThat(modes.get(1)).contains("hybrid", "20", "25.0%", "60.0%", "2.0", "50.0");
    }

    @Test
    void isListedInTheHelp() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandLine cli = DocstreamCli.commandLine().setOut(new java.io.PrintWriter(
                new PrintStream(out, true, StandardCharsets.UTF_8), true));
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("queries");
    }

    private static QueriesCommand parse(String... args) {
        QueriesCommand command = new QueriesCommand(NOON);
        new CommandLine(command).parseArgs(args);
        return command;
    }
}
