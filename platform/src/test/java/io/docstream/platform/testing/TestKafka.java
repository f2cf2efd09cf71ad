package io.docstream.platform.testing;

import io.docstream.schemas.topics.Topics;
import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real single-node KRaft broker for tests, with the internal topics sized for one node so that
 * idempotent producers and exactly-once Streams apps work, and no rebalance delay.
 */
public final class TestKafka {

    private TestKafka() {
    }

    /** Starts a broker; the caller destroys it. {@code topics} are created up front. */
    public static EmbeddedKafkaKraftBroker start(String... topics) {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, Topics.PARTITIONS, topics);
        broker.brokerProperties(Map.of(
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "offsets.topic.replication.factor", "1",
                "group.initial.rebalance.delay.ms", "0"));
        broker.afterPropertiesSet();
        return broker;
    }
}
