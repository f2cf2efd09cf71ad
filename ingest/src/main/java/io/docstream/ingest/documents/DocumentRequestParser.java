package io.docstream.ingest.documents;

import io.docstream.schemas.events.DocumentKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Reads a document request from JSON, strictly: unknown fields, wrong types and out-of-bounds values
 * are reported as {@link Violation}s rather than coerced, so what reaches Kafka is exactly what the
 * producer meant.
 */
final class DocumentRequestParser {

    private static final Set<String> FIELDS = Set.of("id", "title", "body", "metadata", "version");
    private static final Pattern METADATA_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final IngestProperties limits;

    DocumentRequestParser(IngestProperties limits) {
        this.limits = limits;
    }

    /**
     * Parses one document at {@code pointer} (e.g. {@code ""} or {@code "/3"}); adds what is wrong to
     * {@code violations} and returns null when anything is.
     */
    DocumentRequest parse(JsonNode node, String pointer, List<Violation> violations) {
        int before = violations.size();
        if (node == null || !node.isObject()) {
            violations.add(Violation.invalid(pointer, "A document must be a JSON object."));
            return null;
        }
        for (String field : node.propertyNames()) {
            if (!FIELDS.contains(field)) {
                violations.add(Violation.invalid(pointer + "/" + field, "Unknown field '" + field + "'."));
            }
        }
        String id = id(node.get("id"), pointer + "/id", violations);
        String title = title(node.get("title"), pointer + "/title", violations);
        String body = body(node.get("body"), pointer + "/body", violations);
        Map<String, String> metadata = metadata(node.get("metadata"), pointer + "/metadata", violations);
        Long version = version(node.get("version"), pointer + "/version", violations);
        return violations.size() == before ? new DocumentRequest(id, title, body, metadata, version) : null;
    }

    /** Checks a document id taken from the path or a body. */
    static boolean isValidId(String id) {
        return id != null && DocumentKey.DOCUMENT_ID.matcher(id).matches();
    }

    private static String id(JsonNode node, String pointer, List<Violation> violations) {
        if (absent(node)) {
            return null;
        }
        if (!node.isString() || !isValidId(node.asString())) {
            violations.add(Violation.invalid(pointer, "Field 'id' must be a string of 1 to 128 characters from "
                    + "[A-Za-z0-9._:-], starting with a letter or digit."));
            return null;
        }
        return node.asString();
    }

    private String title(JsonNode node, String pointer, List<Violation> violations) {
        if (absent(node)) {
            return "";
        }
        if (!node.isString()) {
            violations.add(Violation.invalid(pointer, "Field 'title' must be a string."));
            return null;
        }
        String title = node.asString();
        if (title.length() > limits.maxTitleLength()) {
            violations.add(Violation.invalid(pointer, "Field 'title' must be at most " + limits.maxTitleLength()
                    + " characters."));
        }
        return title;
    }

    private String body(JsonNode node, String pointer, List<Violation> violations) {
        if (absent(node)) {
            violations.add(Violation.invalid(pointer, "Field 'body' is required."));
            return null;
        }
        if (!node.isString()) {
            violations.add(Violation.invalid(pointer, "Field 'body' must be a string."));
            return null;
        }
        String body = node.asString();
        if (body.isBlank()) {
            violations.add(Violation.invalid(pointer, "Field 'body' must not be blank."));
        } else if (utf8Length(body) > limits.maxBodySize().toBytes()) {
            violations.add(Violation.tooLarge(pointer, "Field 'body' must be at most " + limits.maxBodySize().toBytes()
                    + " bytes of UTF-8 text."));
        }
        return body;
    }

    private Map<String, String> metadata(JsonNode node, String pointer, List<Violation> violations) {
        if (absent(node)) {
            return Map.of();
        }
        if (!node.isObject()) {
            violations.add(Violation.invalid(pointer, "Field 'metadata' must be an object."));
            return null;
        }
        if (node.size() > limits.maxMetadataEntries()) {
            violations.add(Violation.invalid(pointer, "Field 'metadata' may hold at most "
                    + limits.maxMetadataEntries() + " entries."));
            return null;
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String key = entry.getKey();
            String entryPointer = pointer + "/" + escape(key);
            if (!METADATA_KEY.matcher(key).matches()) {
                violations.add(Violation.invalid(entryPointer, "Metadata keys must be 1 to 64 characters from "
                        + "[A-Za-z0-9_.-]."));
                continue;
            }
            JsonNode value = entry.getValue();
            if (!(value.isString() || value.isNumber() || value.isBoolean())) {
                violations.add(Violation.invalid(entryPointer, "Metadata values must be strings, numbers or booleans."));
                continue;
            }
            String text = value.asString();
            if (text.length() > limits.maxMetadataValueLength()) {
                violations.add(Violation.invalid(entryPointer, "Metadata values must be at most "
                        + limits.maxMetadataValueLength() + " characters."));
                continue;
            }
            metadata.put(key, text);
        }
        return metadata;
    }

    private static Long version(JsonNode node, String pointer, List<Violation> violations) {
        if (absent(node)) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 1) {
            violations.add(Violation.invalid(pointer, "Field 'version' must be a positive integer."));
            return null;
        }
        return node.asLong();
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
