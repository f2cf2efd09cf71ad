package io.docstream.ingest.documents;

import io.docstream.core.web.ProblemException;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.topics.Topics;
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
 * ({@code acks=all}). When Kafka does not answer in time the caller gets a 503, never a 202.
 */
final class CommandPublisher {

    private static final Logger log = LoggerFactory.getLogger(CommandPublisher.class);

    private final KafkaTemplate<DocumentKey, DocumentCommand> template;
    private final IngestProperties properties;

    CommandPublisher(KafkaTemplate<DocumentKey, DocumentCommand> template, IngestProperties properties) {
        this.template = template;
        this.properties = properties;
    }

    void publish(List<? extends DocumentCommand> commands) {
        CompletableFuture<?>[] sends;
        try {
            sends = commands.stream()
                    .map(command -> template.send(Topics.DOCUMENTS.name(), command.key(), command))
                    .toArray(CompletableFuture[]::new);
        } catch (RuntimeException e) {
            throw unavailable("Kafka did not accept the commands", e);
        }
        try {
            CompletableFuture.allOf(sends).get(properties.kafkaAckTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw unavailable("Kafka did not acknowledge within " + properties.kafkaAckTimeout().toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("Interrupted while waiting for Kafka", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RecordTooLargeException
                    || e.getCause() != null && e.getCause().getCause() instanceof RecordTooLargeException) {
                throw ProblemException.payloadTooLarge("A document is too large for the documents topic.");
            }
            throw unavailable("Kafka refused the commands", e);
        }
    }

    private ProblemException unavailable(String reason, Exception cause) {
        log.warn("{}: {}", reason, cause.toString());
        return ProblemException.serviceUnavailable(reason + "; nothing is confirmed, retry later.",
                properties.retryAfter(), cause);
    }
}
