package io.docstream.ingest.documents;

import io.docstream.platform.errors.InputTooLargeException;
import io.docstream.platform.errors.TemporarilyUnavailableException;
import io.docstream.platform.resilience.RemoteCall;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Writes commands to the documents topic and returns only once Kafka acknowledged every one of them
 * ({@code acks=all}). When Kafka does not answer within the {@code kafka-producer} call's timeout the caller
 * gets a 503, never a 202. Sends pass the call's bulkhead and circuit breaker: once Kafka failed often
 * enough, requests are answered 503 at once instead of each waiting out the timeout. They are not retried
 * here; the idempotent producer already retries inside its delivery timeout.
 */
final class CommandPublisher {

    private static final Logger log = LoggerFactory.getLogger(CommandPublisher.class);

    private final KafkaTemplate<DocumentKey, DocumentCommand> template;
    private final IngestProperties properties;
    private final RemoteCall kafka;
    private final Duration ackTimeout;

    CommandPublisher(KafkaTemplate<DocumentKey, DocumentCommand> template, IngestProperties properties,
            RemoteCall kafka) {
        this.template = template;
        this.properties = properties;
        this.kafka = kafka;
        this.ackTimeout = kafka.policy().getTimeout();
    }

    /** Unavailability from here says Kafka is unhealthy; a document too large for the topic says nothing about Kafka. */
    static boolean kafkaUnavailable(Throwable failure) {
        return failure instanceof TemporarilyUnavailableException;
    }

    void publish(List<? extends DocumentCommand> commands) {
        kafka.call(() -> {
            send(commands);
            return null;
        }, refused -> unavailable("Kafka is not called for now (" + refused.getMessage() + ")", refused));
    }

    private void send(List<? extends DocumentCommand> commands) {
        CompletableFuture<?>[] sends;
        try {
            sends = commands.stream()
                    .map(command -> template.send(Topics.DOCUMENTS.name(), command.key(), command))
                    .toArray(CompletableFuture[]::new);
        } catch (RuntimeException e) {
            throw unavailable("Kafka did not accept the commands", e);
        }
        try {
            CompletableFuture.allOf(sends).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw unavailable("Kafka did not acknowledge within " + ackTimeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("Interrupted while waiting for Kafka", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RecordTooLargeException
                    || e.getCause() != null && e.getCause().getCause() instanceof RecordTooLargeException) {
                throw new InputTooLargeException("A document is too large for the documents topic.");
            }
            throw unavailable("Kafka refused the commands", e);
        }
    }

    private TemporarilyUnavailableException unavailable(String reason, Exception cause) {
        log.warn("{}: {}", reason, cause.toString());
        return new TemporarilyUnavailableException(reason + "; nothing is confirmed, retry later.",
                properties.retryAfter(), cause);
    }
}
