package io.docstream.cli.audit;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Audit events as a plain-text table, one line per event, columns as wide as their widest value. */
final class AuditTable {

    static final List<String> HEADERS = List.of("TIME", "ACTOR", "ACTION", "OUTCOME", "RESOURCE", "REQUEST");
    private static final List<String> FIELDS = List.of("time", "actor", "action", "outcome", "resource", "requestId");

    private AuditTable() {
    }

    static String render(List<JsonNode> events) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (JsonNode event : events) {
            rows.add(FIELDS.stream().map(field -> text(event.path(field))).toList());
        }
        int[] widths = new int[HEADERS.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : pad(row.get(i), widths[i] + 2));
            }
            table.append(line.toString().stripTrailing()).append('\n');
        }
        return table.toString();
    }

    private static String text(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? "-" : value.asString();
    }

    private static String pad(String value, int width) {
        return value + " ".repeat(width - value.length());
    }
}
