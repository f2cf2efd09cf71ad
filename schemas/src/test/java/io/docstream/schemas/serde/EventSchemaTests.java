package io.docstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.docstream.schemas.events.AuditEvent;
import io.docstream.schemas.events.CacheInvalidated;
import io.docstream.schemas.events.DeleteDocument;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentIndexed;
import io.docstream.schemas.events.QueryExecuted;
import io.docstream.schemas.events.UpsertDocument;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON Schema files under {@code events/} are the contract for anyone reading our topics
 * without our Java records: what every serde writes must validate, and the schemas must be strict
 * enough to reject what the serdes would never write.
 */
class EventSchemaTests {

    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .formatAssertionsEnabled(true)
                    .build()));

    private static final String COMMAND = "document-command";
    private static final String INDEXED = "document-indexed";
    private static final String INVALIDATED = "cache-invalidated";
    private static final String QUERY = "query-executed";
    private static final String AUDIT = "audit-event";

    /** An event as its serde writes it, named after the schema that must describe it. */
    record Written(String schema, String name, JsonNode json) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Written> writtenEvents() {
        return Stream.of(
                written(COMMAND, "upsert", SampleEvents.UPSERT),
                written(COMMAND, "delete", SampleEvents.DELETE),
                written(INDEXED, "indexed", SampleEvents.INDEXED),
                written(INDEXED, "indexed deletion", SampleEvents.INDEXED_DELETION),
                written(INVALIDATED, "invalidated", SampleEvents.INVALIDATED),
                written(QUERY, "query", SampleEvents.QUERY),
                written(QUERY, "query keeping the hash only", SampleEvents.QUERY_HASH_ONLY),
                written(AUDIT, "audit", SampleEvents.AUDIT),
                written(AUDIT, "audit untraced", SampleEvents.AUDIT_UNTRACED));
    }

    /** One way to break each event, by schema: the schema must notice. */
    static Stream<Arguments> brokenEvents() {
        return Stream.of(
                broken(COMMAND, "upsert without body", SampleEvents.UPSERT, json -> json.remove("body")),
                broken(COMMAND, "delete without version", SampleEvents.DELETE, json -> json.remove("version")),
                broken(COMMAND, "upsert with an unknown field", SampleEvents.UPSERT, json -> json.put("priority", 1)),
                broken(COMMAND, "delete carrying a body", SampleEvents.DELETE, json -> json.put("body", "text")),
                broken(COMMAND, "unknown command type", SampleEvents.DELETE, json -> json.put("type", "archive")),
                broken(COMMAND, "command without type", SampleEvents.DELETE, json -> json.remove("type")),
                broken(COMMAND, "document id with a slash", SampleEvents.UPSERT,
                        json -> json.put("documentId", "a/b")),
                broken(COMMAND, "future schema version", SampleEvents.UPSERT, json -> json.put("schemaVersion", 2)),
                broken(INDEXED, "indexed without indexedAt", SampleEvents.INDEXED, json -> json.remove("indexedAt")),
                broken(INDEXED, "indexed with an unknown field", SampleEvents.INDEXED,
                        json -> json.put("chunks", 3)),
                broken(INDEXED, "indexed with a short chunk hash", SampleEvents.INDEXED,
                        json -> json.putArray("chunkHashes").add("abc")),
                broken(INVALIDATED, "invalidated without generation", SampleEvents.INVALIDATED,
                        json -> json.remove("tenantGeneration")),
                broken(INVALIDATED, "invalidated with an unknown field", SampleEvents.INVALIDATED,
                        json -> json.put("ttl", 5)),
                broken(INVALIDATED, "invalidated with a time that is not a date-time", SampleEvents.INVALIDATED,
                        json -> json.put("invalidatedAt", "yesterday")),
                broken(INVALIDATED, "invalidated without the time of its cause", SampleEvents.INVALIDATED,
                        json -> json.remove("causedAt")),
                broken(QUERY, "query without mode", SampleEvents.QUERY, json -> json.remove("mode")),
                broken(QUERY, "query with an unknown field", SampleEvents.QUERY, json -> json.put("query", "text")),
                broken(QUERY, "query with an unknown mode", SampleEvents.QUERY, json -> json.put("mode", "fuzzy")),
                broken(QUERY, "query with a hash that is not SHA-256", SampleEvents.QUERY,
                        json -> json.put("normalizedQueryHash", "abc")),
                broken(QUERY, "query without a result count", SampleEvents.QUERY,
                        json -> json.remove("resultCount")),
                broken(AUDIT, "audit without actor", SampleEvents.AUDIT, json -> json.remove("actor")),
                broken(AUDIT, "audit with an unknown field", SampleEvents.AUDIT, json -> json.put("ip", "10.0.0.1")),
                broken(AUDIT, "audit with an id that is not a uuid", SampleEvents.AUDIT,
                        json -> json.put("id", "audit-1")),
                broken(AUDIT, "audit with an uppercase tenant", SampleEvents.AUDIT,
                        json -> json.put("tenant", "ACME")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writtenEvents")
    void everyEventTheSerdesWriteMatchesItsSchema(Written event) {
        assertThat(errors(event.schema(), event.json())).isEmpty();
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("brokenEvents")
    void schemasRejectEventsTheSerdesWouldNeverWrite(String schema, String name, JsonNode json) {
        assertThat(errors(schema, json)).isNotEmpty();
    }

    @Test
    void schemasNameExactlyTheRecordComponents() {
        JsonNode command = schemaNode(COMMAND).get("$defs");
        assertThat(propertyNames(command.get("upsert"))).isEqualTo(components(UpsertDocument.class, "type"));
        assertThat(propertyNames(command.get("delete"))).isEqualTo(components(DeleteDocument.class, "type"));
        assertThat(propertyNames(schemaNode(INDEXED))).isEqualTo(components(DocumentIndexed.class));
        assertThat(propertyNames(schemaNode(INVALIDATED))).isEqualTo(components(CacheInvalidated.class));
        assertThat(propertyNames(schemaNode(QUERY))).isEqualTo(components(QueryExecuted.class));
        assertThat(propertyNames(schemaNode(AUDIT))).isEqualTo(components(AuditEvent.class));
    }

    @Test
    void everySchemaPinsSchemaVersionOne() {
        List<JsonNode> versions = List.of(
                schemaNode(COMMAND).at("/$defs/upsert/properties/schemaVersion"),
                schemaNode(COMMAND).at("/$defs/delete/properties/schemaVersion"),
                schemaNode(INDEXED).at("/properties/schemaVersion"),
                schemaNode(INVALIDATED).at("/properties/schemaVersion"),
                schemaNode(QUERY).at("/properties/schemaVersion"),
                schemaNode(AUDIT).at("/properties/schemaVersion"));

        assertThat(versions).allSatisfy(version -> assertThat(version.get("const").asInt()).isEqualTo(1));
        assertThat(List.of(UpsertDocument.SCHEMA_VERSION, DocumentIndexed.SCHEMA_VERSION,
                CacheInvalidated.SCHEMA_VERSION, QueryExecuted.SCHEMA_VERSION, AuditEvent.SCHEMA_VERSION))
                .containsOnly(1);
    }

    private static List<Error> errors(String schema, JsonNode json) {
        try (InputStream in = resource(schema)) {
            Schema loaded = SCHEMAS.getSchema(in);
            return loaded.validate(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode schemaNode(String schema) {
        try (InputStream in = resource(schema)) {
            return EventMapper.INSTANCE.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String schema) {
        InputStream in = EventSchemaTests.class.getResourceAsStream("/events/" + schema + ".schema.json");
        assertThat(in).as("schema file events/%s.schema.json", schema).isNotNull();
        return in;
    }

    private static Set<String> propertyNames(JsonNode schema) {
        return new HashSet<>(schema.get("properties").propertyNames());
    }

    private static Set<String> components(Class<? extends Record> type, String... extra) {
        Set<String> names = new HashSet<>(Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)
                .toList());
        names.addAll(List.of(extra));
        return names;
    }

    private static Written written(String schema, String name, Object event) {
        return new Written(schema, name, asWritten(event));
    }

    private static Arguments broken(String schema, String name, Object event, Consumer<ObjectNode> change) {
        ObjectNode json = (ObjectNode) asWritten(event);
        change.accept(json);
        return Arguments.of(schema, name, json);
    }

    private static JsonNode asWritten(Object event) {
        byte[] bytes = switch (event) {
            case DocumentCommand command -> new DocumentCommandSerde().toBytes(command);
            case DocumentIndexed indexed -> new DocumentIndexedSerde().toBytes(indexed);
            case CacheInvalidated invalidated -> new CacheInvalidatedSerde().toBytes(invalidated);
            case QueryExecuted query -> new QueryExecutedSerde().toBytes(query);
            case AuditEvent audit -> new AuditEventSerde().toBytes(audit);
            default -> throw new IllegalArgumentException("not an event: " + event);
        };
        return EventMapper.INSTANCE.readTree(bytes);
    }
}
