package io.docstream.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.resilience.RemoteCall;
import io.docstream.platform.resilience.RemoteCalls;
import io.docstream.platform.testing.TestKafka;
import io.docstream.schemas.events.AuditEvent;
import io.docstream.schemas.topics.Topics;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** The Kafka audit trail against a real KRaft broker, and against none. */
class KafkaAuditTrailTests {

    private static EmbeddedKafkaKraftBroker kafka;

    @BeforeAll
    static void startKafka() {
        kafka = TestKafka.start(Topics.AUDIT.name());
    }

    @AfterAll
    static void stopKafka() {
        kafka.destroy();
    }

    @Test
    void publishesEachEventKeyedByTenantAndReportsTheAcknowledgement() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AuditEvent upsert = event("acme", "document.upsert");
        AuditEvent delete = event("globex", "document.delete");
        AuditEvent create = event("acme", "key.create");

        try (KafkaAuditTrail audit = new KafkaAuditTrail(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()), Duration.ofSeconds(10),
                meters)) {
            assertThat(audit.record(upsert)).isTrue();
            assertThat(audit.recordAll(List.of(delete, create))).isTrue();
        }

        assertThat(readAll(3)).extracting(ConsumerRecord::key, ConsumerRecord::value)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("acme", upsert),
                        org.assertj.core.groups.Tuple.tuple("globex", delete),
                        org.assertj.core.groups.Tuple.tuple("acme", create));
        assertThat(meters.counter(KafkaAuditTrail.FAILURES_METER).count()).isZero();
    }

    @Test
    void countsAndReportsAnUnreachableBrokerWithinTheTimeoutWithoutThrowing() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (KafkaAuditTrail audit = new KafkaAuditTrail(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + closedPort), Duration.ofMillis(500),
                meters)) {
            long started = System.nanoTime();

            boolean recorded = audit.recordAll(List.of(event("acme", "document.upsert"), event("acme", "replay")));

            assertThat(recorded).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        }
        assertThat(meters.counter(KafkaAuditTrail.FAILURES_METER).count()).isEqualTo(2);
    }

    @Test
    void onceTheBrokerKeepsFailingEventsAreGivenUpAtOnceInsteadOfWaitingOutTheTimeout() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RemoteCall guard = RemoteCalls.withDefaults().call(RemoteCalls.AUDIT_PRODUCER, KafkaAuditTrail::unrecorded);
        try (KafkaAuditTrail audit = new KafkaAuditTrail(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + closedPort), Duration.ofMillis(500),
                meters, guard)) {
            for (int i = 0; i < RemoteCalls.defaults(RemoteCalls.AUDIT_PRODUCER).getMinimumCalls(); i++) {
                assertThat(audit.record(event("acme", "key.create"))).isFalse();
            }
            assertThat(guard.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
            long started = System.nanoTime();

            boolean recorded = audit.record(event("acme", "key.revoke"));

            assertThat(recorded).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(200));
        }
        assertThat(meters.counter(KafkaAuditTrail.FAILURES_METER).count())
                .isEqualTo(RemoteCalls.defaults(RemoteCalls.AUDIT_PRODUCER).getMinimumCalls() + 1);
    }

    @Test
    void forcesDurabilityWhateverTheSpringSettingsSay() {
        Map<String, Object> config = KafkaAuditTrail.durable(Map.of(ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-",
                ProducerConfig.CLIENT_ID_CONFIG, "ingest"), Duration.ofSeconds(5));

        assertThat(config).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000L)
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "ingest-audit")
                .doesNotContainKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    }

    private static AuditEvent event(String tenant, String action) {
        return new AuditEvent(UUID.randomUUID(), tenant, "key:" + UUID.randomUUID(), action, "document:" + tenant + "/d@1",
                "accepted", "r-1", null, Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    private static List<ConsumerRecord<String, AuditEvent>> readAll(int expected) {
        List<ConsumerRecord<String, AuditEvent>> records = new ArrayList<>();
        try (KafkaConsumer<String, AuditEvent> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                Topics.AUDIT.keySerde().deserializer(), Topics.AUDIT.valueSerde().deserializer())) {
            consumer.assign(consumer.partitionsFor(Topics.AUDIT.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList());
            consumer.seekToBeginning(consumer.assignment());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
