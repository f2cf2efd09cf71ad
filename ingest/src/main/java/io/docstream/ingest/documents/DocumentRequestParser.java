package io.docstream.ingest.documents;

import io.docstream.platform.errors.InvalidInputException;
import io.docstream.platform.errors.MalformedInputException;
import io.docstream.schemas.events.DocumentKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads document requests from JSON and NDJSON batches, strictly: unknown fields, wrong types,
 * out-of-bounds values and text PostgreSQL cannot store (NUL, unpaired surrogates) are reported as
 * {@link Violation}s rather than coerced, so what reaches Kafka is exactly what the producer meant and
 * what the indexer can write.
 */
final class DocumentRequestParser {

    private static final Set<String> FIELDS = Set.of("id", "title", "body", "metadata", "version");
    private static final Pattern METADATA_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final String NOT_TEXT = "must not contain NUL characters or unpaired surrogates.";

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

    /**
     * Reads an NDJSON batch: one document per non-blank line, as strict UTF-8. A line that is not JSON or not
     * UTF-8 is a {@code malformed-json} problem, too few or too many documents an {@code invalid-request} one.
     */
    List<JsonNode> readNdjson(InputStream body, JsonMapper mapper) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)))) {
            int lineNumber = 0;
            for (String line = readLine(reader, lineNumber + 1); line != null; line = readLine(reader, lineNumber + 1)) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                requireBatchSize(documents.size() + 1);
                documents.add(parseLine(mapper, line, lineNumber));
            }
        }
        requireBatchSize(documents.size());
        return documents;
    }

    /** A 400 problem unless a batch of {@code size} documents is within bounds. */
    void requireBatchSize(int size) {
        if (size < 1) {
            throw new InvalidInputException("A batch needs at least one document.");
        }
        if (size > limits.maxBatchSize()) {
            throw new InvalidInputException("A batch may hold at most " + limits.maxBatchSize() + " documents.");
        }
    }

    private static String readLine(BufferedReader reader, int lineNumber) throws IOException {
        try {
            return reader.readLine();
        } catch (CharacterCodingException e) {
            throw malformed("Line " + lineNumber + " is not valid UTF-8.");
        }
    }

    private static JsonNode parseLine(JsonMapper mapper, String line, int lineNumber) {
        try {
            return mapper.readTree(line);
        } catch (JacksonException e) {
            throw malformed("Line " + lineNumber + " is not valid JSON.");
        }
    }

    private static MalformedInputException malformed(String detail) {
        return new MalformedInputException(detail);
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
        if (!isStorableText(title)) {
            violations.add(Violation.invalid(pointer, "Field 'title' " + NOT_TEXT));
        } else if (title.length() > limits.maxTitleLength()) {
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
        if (!isStorableText(body)) {
            violations.add(Violation.invalid(pointer, "Field 'body' " + NOT_TEXT));
        } else if (body.isBlank()) {
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
            if (!isStorableText(text)) {
                violations.add(Violation.invalid(entryPointer, "Metadata values " + NOT_TEXT));
                continue;
            }
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

    /** False for text PostgreSQL cannot store as it is: NUL characters and unpaired UTF-16 surrogates. */
    static boolean isStorableText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
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
