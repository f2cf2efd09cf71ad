package io.docstream.cli.status;

import io.docstream.cli.TextTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/** The status answer as sections of aligned tables, for a terminal. */
final class StatusReport {

    private StatusReport() {
    }

    static String render(JsonNode status) {
        StringBuilder out = new StringBuilder();
        out.append("docstream status for tenant ").append(status.path("tenant").asString()).append("\n\n");

        out.append("Consumer groups\n");
        List<List<String>> groups = new ArrayList<>();
        groups.add(List.of("GROUP", "STATE", "MEMBERS", "LAG", "RECORDS/S"));
        for (JsonNode group : status.path("consumerGroups")) {
            JsonNode rate = group.path("recordsPerSecond");
            groups.add(List.of(group.path("group").asString(), group.path("state").asString(),
                    Long.toString(group.path("members").asLong()), number(group.path("lag")),
                    rate.isNumber() ? String.format(java.util.Locale.ROOT, "%.1f", rate.asDouble()) : "-"));
        }
        table(out, groups, "(no docstream consumer groups yet)");

        JsonNode documents = status.path("documents");
        out.append("\nDocuments by state\n");
        table(out, List.of(List.of("PENDING", "INDEXED", "FAILED", "DELETED"),
                List.of(number(documents.path("pending")), number(documents.path("indexed")),
                        number(documents.path("failed")), number(documents.path("deleted")))), "");

        JsonNode counts = status.path("counts");
        out.append("\nLive documents\n");
        table(out, List.of(List.of("INDEX", "POSTGRESQL", "TOPIC"),
                List.of(number(counts.path("index")), number(counts.path("postgres")),
                        number(counts.path("topic")) + (counts.path("topicComplete").asBoolean(true) ? "" : "+"))), "");
        if (counts.path("consistent").asBoolean(false)) {
            out.append("  all three agree\n");
        }
        for (JsonNode explanation : counts.path("explanations")) {
            out.append("  - ").append(explanation.asString()).append('\n');
        }

        JsonNode freshness = status.path("freshness");
        out.append("\nFreshness (accepted to searchable, last ").append(freshness.path("window").asString())
                .append(")\n");
        out.append(freshness.path("samples").asLong() == 0 ? "  no document became searchable in the window\n"
                : String.format(Locale.ROOT, "  p50 %s  p99 %s  over %,d documents%n", millis(freshness.path("p50Ms")),
                        millis(freshness.path("p99Ms")), freshness.path("samples").asLong()));

        out.append("\nCircuit breakers\n");
        List<List<String>> breakers = new ArrayList<>();
        breakers.add(List.of("NAME", "STATE"));
        for (JsonNode breaker : status.path("circuitBreakers")) {
            breakers.add(List.of(breaker.path("name").asString(), breaker.path("state").asString()));
        }
        table(out, breakers, "(none registered)");

        out.append("\nCaches (this query API instance)\n");
        List<List<String>> caches = new ArrayList<>();
        caches.add(List.of("CACHE", "L1", "L2", "MISSES", "HIT RATE"));
        for (JsonNode cache : status.path("caches")) {
            JsonNode rate = cache.path("hitRate");
            caches.add(List.of(cache.path("cache").asString(), number(cache.path("l1")), number(cache.path("l2")),
                    number(cache.path("misses")),
                    rate.isNumber() ? String.format(Locale.ROOT, "%.1f%%", rate.asDouble() * 100) : "-"));
        }
        table(out, caches, "(no lookups yet)");
        return out.toString();
    }

    private static void table(StringBuilder out, List<List<String>> rows, String whenEmpty) {
        if (rows.size() == 1) {
            out.append("  ").append(whenEmpty).append('\n');
            return;
        }
        out.append(TextTable.render(rows, "  "));
    }

    private static String number(JsonNode value) {
        return String.format(Locale.ROOT, "%,d", value.asLong());
    }

    private static String millis(JsonNode value) {
        if (!value.isNumber()) {
            return "-";
        }
        double ms = value.asDouble();
        return ms >= 1000 ? String.format(Locale.ROOT, "%.2f s", ms / 1000) : String.format(Locale.ROOT, "%.0f ms", ms);
    }
}
