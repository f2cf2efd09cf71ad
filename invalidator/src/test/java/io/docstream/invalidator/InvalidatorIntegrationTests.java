package io.docstream.invalidator;

import static io.docstream.schemas.db.Tables.AUDIT_LOG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.core.testing.TestDatabase;
import io.docstream.schemas.events.DocumentIndexed;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** The invalidator app against a real KRaft broker and PostgreSQL. */
class InvalidatorIntegrationTests {

    private static final TestDatabase database = TestDatabase.shared();

    @TempDir
    static Path temp;

    private static EmbeddedKafkaKraftBroker kafka;
    private static ConfigurableApplicationContext invalidator;

    @BeforeAll
    static void start() {
        kafka = new EmbeddedKafkaKraftBroker(1, Topics.PARTITIONS);
        kafka.brokerProperties(Map.of(
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "offsets.topic.replication.factor", "1",
                "group.initial.rebalance.delay.ms", "0"));
        kafka.afterPropertiesSet();
        database.truncateAll();
        invalidator = InvalidatorApplication.builder().run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--spring.flyway.enabled=false",
                "--docstream.streams.state-dir=" + temp.resolve("streams"));
    }

    @AfterAll
    static void stop() {
        if (invalidator != null) {
            invalidator.close();
        }
        if (kafka != null) {
            kafka.destroy();
        }
    }

    @Test
    void anIndexedEventBecomesAnAuditRecord() throws Exception {
        DocumentIndexed event = new DocumentIndexed("acme", "doc-1", 3, List.of("hash"), 1, false,
                "all-minilm-l6-v2-q", Instant.now(), Instant.now());

        try (KafkaProducer<DocumentKey, DocumentIndexed> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()),
                Topics.INDEXED.keySerde().serializer(), Topics.INDEXED.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.INDEXED.name(), event.key(), event)).get();
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(database.dsl().select(AUDIT_LOG.RESOURCE).from(AUDIT_LOG).fetch(AUDIT_LOG.RESOURCE))
                        .containsExactly("document:acme/doc-1@3"));
    }
}
