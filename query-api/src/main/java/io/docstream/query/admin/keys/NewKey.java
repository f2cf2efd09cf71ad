package io.docstream.query.admin.keys;

import io.docstream.platform.errors.InvalidInputException;
import io.docstream.platform.tenancy.ApiKeys;
import io.docstream.platform.tenancy.Scope;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /api/v1/admin/keys}, {@code {"name": "...", "scopes": ["ingest", "search"]}}, read
 * strictly: any other field, a blank, too long or control-character name, and an unknown or missing scope are
 * invalid requests.
 */
record NewKey(String name, Set<Scope> scopes) {

    private static final Set<String> FIELDS = Set.of("name", "scopes");
    private static final String KNOWN_SCOPES = Arrays.stream(Scope.values()).map(Scope::value)
            .collect(Collectors.joining(", "));

    static NewKey parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidInputException("The request body must be a JSON object with 'name' and 'scopes'.");
        }
        for (String field : body.propertyNames()) {
            if (!FIELDS.contains(field)) {
                throw new InvalidInputException("Unknown field '" + field + "'.");
            }
        }
        return new NewKey(name(body.get("name")), scopes(body.get("scopes")));
    }

    private static String name(JsonNode node) {
        if (node == null || !node.isString()) {
            throw new InvalidInputException("Field 'name' is required and must be a string.");
        }
        String name = node.asString().strip();
        if (name.isEmpty() || name.length() > ApiKeys.MAX_NAME_LENGTH) {
            throw new InvalidInputException("Field 'name' must be 1 to " + ApiKeys.MAX_NAME_LENGTH
                    + " characters.");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("Field 'name' must not contain control characters.");
        }
        return name;
    }

    private static Set<Scope> scopes(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new InvalidInputException("Field 'scopes' is required: a non-empty array of "
                    + KNOWN_SCOPES + ".");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (JsonNode scope : node) {
            if (!scope.isString()) {
                throw new InvalidInputException("Field 'scopes' must hold strings: " + KNOWN_SCOPES + ".");
            }
            scopes.add(Arrays.stream(Scope.values())
                    .filter(known -> known.value().equals(scope.asString()))
                    .findFirst()
                    .orElseThrow(() -> new InvalidInputException("Unknown scope '" + abbreviate(scope.asString())
                            + "'; one of " + KNOWN_SCOPES + ".")));
        }
        return scopes;
    }

    private static String abbreviate(String value) {
        String printable = value.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() > 20 ? printable.substring(0, 20) + "..." : printable;
    }
}
