package io.docstream.platform.audit;

import io.docstream.platform.resilience.RemoteCall;
import io.docstream.platform.resilience.RemoteCalls;
import io.docstream.schemas.events.AuditEvent;
import io.docstream.schemas.topics.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AuditTrail} on Kafka: each event goes to {@code docstream.audit.v1} keyed by tenant, through an
 * idempotent {@code acks=all} producer, and counts as recorded only once the broker acknowledged it within the
 * publish timeout. A failure is logged and counted in {@value #FAILURES_METER}, never thrown: the audited action
 * already happened.
 */
public final class KafkaAuditTrail implements AuditTrail, AutoCloseable {

    /** Events that were not acknowledged in time (Prometheus: {@code docstream_audit_publish_failures_total}). */
    public static final String FAILURES_METER = "docstream.audit.publish.failures";

    private static final Logger log = LoggerFactory.getLogger(KafkaAuditTrail.class);

    private final Producer<String, AuditEvent> producer;
    private final Duration timeout;
    private final Counter failures;
    private final RemoteCall guard;

    /**
     * @param producerConfig the producer settings (bootstrap servers, security); durability settings are
     *        overridden, a transactional id is dropped
     */
    public KafkaAuditTrail(Map<String, Object> producerConfig, Duration timeout, MeterRegistry meters) {
        this(producerConfig, timeout, meters,
                RemoteCalls.withDefaults().call(RemoteCalls.AUDIT_PRODUCER, KafkaAuditTrail::unrecorded));
    }

    /**
     * @param guard the {@code audit-producer} guard: events the broker did not take count against its breaker, and
     *        while it is open events are given up at once instead of each waiting out the timeout
     */
    public KafkaAuditTrail(Map<String, Object> producerConfig, Duration timeout, MeterRegistry meters,
            RemoteCall guard) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (!timeout.isPositive()) {
            throw new IllegalArgumentException("the publish timeout must be positive");
        }
        this.failures = Counter.builder(FAILURES_METER)
                .description("Audit events the broker did not acknowledge in time")
                .register(Objects.requireNonNull(meters, "meters"));
        this.producer = new KafkaProducer<>(durable(producerConfig, timeout), Topics.AUDIT.keySerde().serializer(),
                Topics.AUDIT.valueSerde().serializer());
    }

    static Map<String, Object> durable(Map<String, Object> producerConfig, Duration timeout) {
        Map<String, Object> config = new HashMap<>(producerConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // send() may block this long for metadata when the broker is away; the wait for the ack gets the rest.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        Object clientId = config.get(ProducerConfig.CLIENT_ID_CONFIG);
        if (clientId != null && !clientId.toString().isBlank()) {
            config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-audit");
        }
        return config;
    }

    @Override
    public boolean record(AuditEvent event) {
        return recordAll(List.of(event));
    }

    @Override
    public boolean recordAll(List<AuditEvent> events) {
        try {
            return guard.call(() -> {
                if (!send(events)) {
                    throw new Unrecorded();
                }
                return true;
            });
        } catch (RuntimeException e) {
            if (RemoteCall.refused(e)) {
                events.forEach(event -> failed(event, e));
            }
            return false;
        }
    }

    /** What the guard counts against the broker: events it did not acknowledge in time. */
    static boolean unrecorded(Throwable failure) {
        return failure instanceof Unrecorded;
    }

    /** Some events of a call were not acknowledged; each was logged and counted already. */
    private static final class Unrecorded extends RuntimeException {
        Unrecorded() {
            super("audit events not acknowledged", null, false, false);
        }
    }

    private boolean send(List<AuditEvent> events) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Future<RecordMetadata>> sends = new ArrayList<>(events.size());
        boolean all = true;
        for (AuditEvent event : events) {
            try {
                sends.add(producer.send(new ProducerRecord<>(Topics.AUDIT.name(), event.tenant(), event)));
            } catch (RuntimeException e) {
                sends.add(null);
                failed(event, e);
                all = false;
            }
        }
        for (int i = 0; i < events.size(); i++) {
            Future<RecordMetadata> send = sends.get(i);
            if (send != null && !acknowledged(events.get(i), send, deadline)) {
                all = false;
            }
        }
        return all;
    }

    private boolean acknowledged(AuditEvent event, Future<RecordMetadata> send, long deadline) {
        try {
            send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            failed(event, new TimeoutException("no acknowledgement within " + timeout.toMillis() + " ms"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed(event, e);
        } catch (ExecutionException e) {
            failed(event, e.getCause() != null ? e.getCause() : e);
        }
        return false;
    }

    /** Names the event, never its content beyond tenant and action; the exception's own message says why. */
    private void failed(AuditEvent event, Throwable cause) {
        failures.increment();
        log.warn("audit event {} ({} of tenant {}) was not recorded: {}", event.id(), event.action(), event.tenant(),
                cause.toString());
    }

    @Override
    public void close() {
        producer.close(timeout);
    }
}
