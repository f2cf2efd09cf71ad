package io.docstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.schemas.events.DocumentKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventSerdesTests {

    private static final String TOPIC = "any-topic";

    /** Each serde with a value it must carry unchanged and payloads it must refuse. */
    record Case<T>(String name, Serde<T> serde, T value, List<String> malformed) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<String> NOT_AN_EVENT = List.of("not json", "{", "[1, 2]", "{}", "\"text\"",
            "{\"schemaVersion\": 1} trailing");

    static Stream<Case<?>> cases() {
        return Stream.of(
                new Case<>("DocumentCommandSerde upsert", new DocumentCommandSerde(), SampleEvents.UPSERT,
                        concat(NOT_AN_EVENT, "{\"type\": \"rename\", \"tenant\": \"acme\"}",
                                "{\"tenant\": \"acme\", \"documentId\": \"d\", \"version\": 1, \"body\": \"b\"}")),
                new Case<>("DocumentCommandSerde delete", new DocumentCommandSerde(), SampleEvents.DELETE,
                        concat(NOT_AN_EVENT, "{\"type\": \"delete\", \"tenant\": \"acme\", \"version\": 1}")),
                new Case<>("DocumentIndexedSerde", new DocumentIndexedSerde(), SampleEvents.INDEXED,
                        concat(NOT_AN_EVENT, "{\"tenant\": \"acme\", \"documentId\": \"d\", \"indexedAt\": \"soon\"}")),
                new Case<>("DocumentIndexedSerde deletion", new DocumentIndexedSerde(), SampleEvents.INDEXED_DELETION,
                        NOT_AN_EVENT),
                new Case<>("CacheInvalidatedSerde", new CacheInvalidatedSerde(), SampleEvents.INVALIDATED,
                        concat(NOT_AN_EVENT, "{\"tenant\": \"acme\", \"keys\": \"not-a-list\", \"reason\": \"r\","
                                + " \"invalidatedAt\": \"2026-11-21T09:15:30Z\"}",
                                "{\"tenant\": \"acme\", \"keys\": [], \"tenantGeneration\": 1, \"reason\": \"r\","
                                + " \"invalidatedAt\": \"2026-11-21T09:15:30Z\"}")),
                new Case<>("QueryExecutedSerde", new QueryExecutedSerde(), SampleEvents.QUERY,
                        concat(NOT_AN_EVENT, "{\"tenant\": \"acme\", \"mode\": \"hybrid\", \"executedAt\": 1}")),
                new Case<>("QueryExecutedSerde keeping the hash only", new QueryExecutedSerde(),
                        SampleEvents.QUERY_HASH_ONLY, NOT_AN_EVENT),
                new Case<>("AuditEventSerde", new AuditEventSerde(), SampleEvents.AUDIT,
                        concat(NOT_AN_EVENT, "{\"id\": \"not-a-uuid\", \"tenant\": \"acme\"}")),
                new Case<>("AuditEventSerde untraced", new AuditEventSerde(), SampleEvents.AUDIT_UNTRACED,
                        NOT_AN_EVENT),
                new Case<>("DocumentKeySerde", new DocumentKeySerde(), new DocumentKey("acme", "handbook-7"),
                        List.of("no-slash", "Acme/handbook-7", "acme/", "/handbook-7", "acme/a/b", "acme/\uFFFEx")));
    }

    static Stream<Arguments> malformedPayloads() {
        return cases().flatMap(c -> c.malformed().stream().map(payload -> Arguments.of(c, payload)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    <T> void carriesEveryFieldThroughARoundTrip(Case<T> c) {
        byte[] bytes = c.serde().serializer().serialize(TOPIC, c.value());

        T back = c.serde().deserializer().deserialize(TOPIC, bytes);

        assertThat(back).isEqualTo(c.value());
        assertThat(c.serde().serializer().serialize(TOPIC, back)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    <T> void passesTombstonesThroughAsNull(Case<T> c) {
        assertThat(c.serde().serializer().serialize(TOPIC, null)).isNull();
        assertThat(c.serde().deserializer().deserialize(TOPIC, null)).isNull();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("malformedPayloads")
    <T> void refusesMalformedBytesWithSerializationException(Case<T> c, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> c.serde().deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class);
    }

    private static List<String> concat(List<String> common, String... specific) {
        return Stream.concat(common.stream(), Stream.of(specific)).toList();
    }
}
