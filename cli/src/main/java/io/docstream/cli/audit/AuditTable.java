package io.docstream.cli.audit;

import io.docstream.cli.TextTable;
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
        return TextTable.render(rows, "");
    }

    private static String text(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? "-" : value.asString();
    }
}
