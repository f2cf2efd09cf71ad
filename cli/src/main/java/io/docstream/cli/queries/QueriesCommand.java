package io.docstream.cli.queries;

import io.docstream.cli.CommandFailure;
import io.docstream.cli.ServiceHttp;
import io.docstream.cli.ServiceOptions;
import io.docstream.cli.TextTable;
import io.docstream.cli.TimeArgument;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docstream queries}: what the tenant searched, from {@code GET /api/v1/admin/analytics/queries} (top,
 * no-results, slow) and {@code /summary}, as a table or JSON. Needs a key with the admin scope. The counts come
 * from the analytics app, a few seconds behind the searches.
 */
@Command(name = "queries",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {
            "Show what your tenant searched for: the most asked queries (top), the ones that found nothing"
                    + " (no-results), the slowest (slow), or per search mode the counts, latency and cache hit rate"
                    + " (summary). Counted per minute by the analytics app, seconds behind the searches.",
            "",
            "Examples:",
            "  docstream queries top",
            "  docstream queries no-results --since P7D --limit 50",
            "  docstream queries summary --since PT1H --json"
        })
public final class QueriesCommand implements Callable<Integer> {

    /** What to show. */
    enum Kind {
        TOP("top"), NO_RESULTS("no-results"), SLOW("slow"), SUMMARY("summary");

        final String value;

        Kind(String value) {
            this.value = value;
        }

        static Kind parse(String value) {
            for (Kind kind : values()) {
                if (kind.value.equals(value.toLowerCase(Locale.ROOT))) {
                    return kind;
                }
            }
            throw new QueriesException("KIND must be one of top, no-results, slow, summary; got '" + value + "'");
        }
    }

    @Mixin
    ServiceOptions services;

    @Parameters(index = "0", paramLabel = "KIND", defaultValue = "top",
            description = "top, no-results, slow or summary.")
    String kind;

    @Option(names = "--since", paramLabel = "TIME", defaultValue = "P1D",
            description = "From this ISO-8601 instant (2026-11-02T09:00:00Z), or this long ago (PT1H, P7D).")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Before this ISO-8601 instant, or this long ago;"
            + " now when not given.")
    String until;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many queries to list, at most"
            + " (1 to 500).")
    int limit;

    @Option(names = "--json", description = "Print the API's answer as JSON instead of a table.")
    boolean json;

    private final Clock clock;

    public QueriesCommand() {
        this(Clock.systemUTC());
    }

    QueriesCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        return CommandFailure.exitCode("queries", () -> {
            run(System.out);
            return 0;
        });
    }

    void run(PrintStream out) {
        Kind shown = Kind.parse(kind);
        ServiceHttp queryApi = services.queryApi(Duration.ofSeconds(30), QueriesException::new);
        JsonNode answer = queryApi.get(path(shown), 200);
        if (json) {
            out.println(JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(answer));
            return;
        }
        out.printf("%s from %s to %s%n", shown == Kind.SUMMARY ? "Searches by mode" : heading(shown),
                answer.path("from").asString(), answer.path("to").asString());
        if (shown == Kind.SUMMARY) {
            out.print(summaryTable(answer.path("modes")));
            return;
        }
        JsonNode queries = answer.path("queries");
        if (queries.isEmpty()) {
            out.println("  none counted yet (the analytics app writes its counts every few seconds)");
            return;
        }
        out.print(queryTable(queries));
    }

    /** The API path with the options as parameters. */
    String path(Kind shown) {
        if (limit < 1 || limit > 500) {
            throw new QueriesException("--limit must be between 1 and 500");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        if (shown != Kind.SUMMARY) {
            parameters.put("kind", shown.value);
            parameters.put("limit", Integer.toString(limit));
        }
        parameters.put("from", TimeArgument.parse("--since", since, clock, QueriesException::new).toString());
        if (until != null && !until.isBlank()) {
            parameters.put("to", TimeArgument.parse("--until", until, clock, QueriesException::new).toString());
        }
        return "/api/v1/admin/analytics/" + (shown == Kind.SUMMARY ? "summary" : "queries") + "?"
                + ServiceHttp.query(parameters);
    }

    private static String heading(Kind kind) {
        return switch (kind) {
            case TOP -> "Most asked queries";
            case NO_RESULTS -> "Queries that found nothing";
            case SLOW -> "Slowest queries (average)";
            case SUMMARY -> throw new IllegalArgumentException("summary has no query listing");
        };
    }

    static String queryTable(JsonNode queries) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("QUERY", "SEARCHES", "NO RESULTS", "AVG MS", "MAX MS"));
        for (JsonNode query : queries) {
            String text = query.path("query").isString() ? query.path("query").asString()
                    : "(hash " + query.path("queryHash").asString().substring(0, 12) + ")";
            rows.add(List.of(text, Long.toString(query.path("searches").asLong()),
                    Long.toString(query.path("zeroResults").asLong()), millis(query.path("avgLatencyMs")),
                    millis(query.path("maxLatencyMs"))));
        }
        return TextTable.render(rows, "  ");
    }

    static String summaryTable(JsonNode modes) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("MODE", "SEARCHES", "NO RESULTS", "CACHE HITS", "DEGRADED", "P50 MS", "P95 MS"));
        for (JsonNode mode : modes) {
            rows.add(List.of(mode.path("mode").asString(), Long.toString(mode.path("searches").asLong()),
                    percent(mode.path("noResultRate")), percent(mode.path("cacheHitRate")),
                    Long.toString(mode.path("degraded").asLong()), millis(mode.path("p50LatencyMs")),
                    millis(mode.path("p95LatencyMs"))));
        }
        return TextTable.render(rows, "  ");
    }

    private static String millis(JsonNode value) {
        return String.format(Locale.ROOT, "%.1f", value.asDouble());
    }

    private static String percent(JsonNode value) {
        return String.format(Locale.ROOT, "%.1f%%", value.asDouble() * 100);
    }

    /** A failure reported as one line, without a stack trace. */
    static final class QueriesException extends CommandFailure {
        QueriesException(String message) {
            super(message);
        }
    }
}
