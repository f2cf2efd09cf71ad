package io.docstream.cli.tenants;

import io.docstream.cli.TextTable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import tools.jackson.databind.JsonNode;

/** Tenants as a plain-text table, one line per tenant. */
final class TenantsTable {

    static final List<String> HEADERS = List.of("TENANT", "CREATED", "STATE", "DISABLED");

    private TenantsTable() {
    }

    static String render(List<JsonNode> tenants) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (JsonNode tenant : tenants) {
            rows.add(List.of(orDash(tenant.path("id")), orDash(tenant.path("createdAt")),
                    tenant.path("disabled").asBoolean() ? "disabled" : "enabled", orDash(tenant.path("disabledAt"))));
        }
        return TextTable.render(rows, "");
    }

    /** {@code admin,ingest,search}. */
    static String scopes(JsonNode key) {
        return StreamSupport.stream(key.path("scopes").spliterator(), false).map(JsonNode::asString)
                .collect(Collectors.joining(","));
    }

    // Tenant ids are checked by the API (a-z, 0-9, '_', '-'), so no terminal control characters get through.
    private static String orDash(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? "-" : value.asString();
    }
}
