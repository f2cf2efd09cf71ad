package io.docstream.cli.keys;

import io.docstream.cli.TextTable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import tools.jackson.databind.JsonNode;

/** API keys as a plain-text table, one line per key, columns as wide as their widest value. */
final class KeysTable {

    static final List<String> HEADERS = List.of("ID", "NAME", "PREFIX", "SCOPES", "CREATED", "REVOKED");

    private KeysTable() {
    }

    static String render(List<JsonNode> keys) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (JsonNode key : keys) {
            rows.add(List.of(text(key.path("id")), text(key.path("name")), text(key.path("prefix")) + "...",
                    scopes(key), text(key.path("createdAt")), text(key.path("revokedAt"))));
        }
        return TextTable.render(rows, "");
    }

    /** {@code ingest,search}. */
    static String scopes(JsonNode key) {
        return StreamSupport.stream(key.path("scopes").spliterator(), false).map(JsonNode::asString)
                .collect(Collectors.joining(","));
    }

    private static String text(JsonNode value) {
        // Names are the tenant's own input: keep control characters out of the terminal.
        return value.isMissingNode() || value.isNull() ? "-" : value.asString().replaceAll("\\p{Cntrl}", "?");
    }
}
