package io.docstream.invalidator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.Hashing;
import io.docstream.platform.audit.AuditActions;
import io.docstream.schemas.events.AuditEvent;
import io.docstream.schemas.events.QueryExecuted;
import io.docstream.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Searches become audit records in the audit log sink, read straight from the queries topic. */
class SearchAuditsTests {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:05Z");
    private static final String KEY = "1f0e4c9a-0b1d-4d2e-9a7b-3c5d6e7f8a9b";

    @Test
    void aSearchIsAnAuditRecordOfTheKeyThatAskedUnderTheEventsId() {
        QueryExecuted stored = query("walrus colonies", "walrus colonies", KEY);
        QueryExecuted hashOnly = query("secret plans", null, KEY);

        AuditEvent record = SearchAudits.of(stored);

        assertThat(record.id()).isEqualTo(stored.id());
        assertThat(record.tenant()).isEqualTo("acme");
        assertThat(record.actor()).isEqualTo("key:" + KEY);
        assertThat(record.action()).isEqualTo(AuditActions.SEARCH);
        assertThat(record.resource()).contains("\"walrus colonies\"").contains("hybrid");
        assertThat(record.requestId()).isEqualTo("req-1");
        assertThat(record.time()).isEqualTo(T0);
        assertThat(SearchAudits.of(hashOnly).resource()).contains("sha256:" + Hashing.sha256Hex("secret plans"))
                .doesNotContain("secret plans");
    }

    /** An event is data from another service: whatever its key id looks like, it is audited. */
    @Test
    void anEventWithAnOddKeyIdOrNoneIsStillAudited() {
        assertThat(Arrays.asList("key-1", "", null)).map(keyId -> SearchAudits.of(query("odd", "odd", keyId)).actor())
                .containsExactly("key:key-1", "system:unknown", "system:unknown");
    }

    @Test
    void theSinkReadsTheQueriesTopicOnlyWhileSearchesAreAudited() {
        assertThat(AuditLogConfiguration.topics(true)).containsExactly(Topics.AUDIT.name(), Topics.QUERIES.name());
        assertThat(AuditLogConfiguration.topics(false)).containsExactly(Topics.AUDIT.name());
    }

    @Test
    void aRecordOfEitherTopicIsReadAsItsAuditEventAndAnUnreadableOneSkipped() {
        QueryExecuted query = query("otters", "otters", KEY);
        AuditEvent event = SearchAudits.of(query("badgers", "badgers", KEY));

        assertThat(AuditLogConfiguration.auditEvent(record(Topics.QUERIES.name(),
                Topics.QUERIES.valueSerde().serializer().serialize(Topics.QUERIES.name(), query))))
                .isEqualTo(SearchAudits.of(query));
        assertThat(AuditLogConfiguration.auditEvent(record(Topics.AUDIT.name(),
                Topics.AUDIT.valueSerde().serializer().serialize(Topics.AUDIT.name(), event)))).isEqualTo(event);
        assertThat(AuditLogConfiguration.auditEvent(record(Topics.QUERIES.name(),
                "{not json".getBytes(StandardCharsets.UTF_8)))).isNull();
        assertThat(AuditLogConfiguration.auditEvent(record(Topics.AUDIT.name(), null))).isNull();
    }

    private static ConsumerRecord<String, byte[]> record(String topic, byte[] value) {
        return new ConsumerRecord<>(topic, 0, 0L, "acme", value);
    }

    private static QueryExecuted query(String text, String storedText, String keyId) {
        return new QueryExecuted(UUID.randomUUID(), "acme", Hashing.sha256Hex(text), storedText, "hybrid", "weighted",
                10, 0, Map.of(), 500, "miss", List.of("doc-1"), List.of(), keyId, "req-1", null, T0);
    }
}
