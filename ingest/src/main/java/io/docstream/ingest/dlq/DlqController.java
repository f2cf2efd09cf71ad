package io.docstream.ingest.dlq;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.docstream.platform.audit.AuditActions;
import io.docstream.platform.audit.AuditTrail;
import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.docstream.platform.web.ProblemException;
import io.docstream.platform.web.RequestIdFilter;
import io.docstream.schemas.events.DocumentKey;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The admin API over the dead-letter topic: list the caller's entries with their reasons, show one, redrive
 * one or all after a fix, purge. The tenant is the key's; every redrive and purge becomes an audit event.
 */
@RestController
@RequestMapping("/api/v1/admin/dlq")
class DlqController {

    static final String ALREADY_REDRIVEN = "already-redriven";
    private static final int MAX_LIMIT = 1000;

    private final DeadLetterQueue queue;
    private final ObjectProvider<AuditTrail> audit;

    DlqController(DeadLetterQueue queue, ObjectProvider<AuditTrail> audit) {
        this.queue = queue;
        this.audit = audit;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EntrySummary(String id, String documentId, String reason, String exception, Instant time, String source,
            boolean redriven, OffsetDateTime redrivenAt) {
    }

    record Listing(List<EntrySummary> entries, int total, long pending, Map<String, Long> countsByReason,
            int unattributed) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EntryDetail(String id, String documentId, String reason, String exception, Instant time, String source,
            boolean redriven, OffsetDateTime redrivenAt, String redrivenBy, String key, Map<String, String> headers,
            String value, String valueEncoding) {
    }

    record Redriven(String id, String topic, int partition, long offset) {
    }

    record RedriveAll(int count, List<Redriven> redriven) {
    }

    @GetMapping
    Listing list(ApiKeyPrincipal principal, @RequestParam(defaultValue = "50") int limit,
            @RequestParam(defaultValue = "newest") String order) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.invalidRequest("limit must be between 1 and " + MAX_LIMIT + ".");
        }
        if (!order.equals("newest") && !order.equals("oldest")) {
            throw ProblemException.invalidRequest("order is 'newest' or 'oldest'.");
        }
        DeadLetterQueue.Contents contents = kafka(() -> queue.contents(principal.tenant()));
        List<DeadLetterQueue.Entry> entries = new ArrayList<>(contents.entries());
        if (order.equals("newest")) {
            Collections.reverse(entries);
        }
        Map<String, Long> countsByReason = new TreeMap<>();
        entries.forEach(entry -> countsByReason.merge(entry.letter().reason(), 1L, Long::sum));
        long pending = entries.stream().filter(entry -> !entry.redriven()).count();
        return new Listing(entries.stream().limit(limit).map(DlqController::summary).toList(), entries.size(), pending,
                countsByReason, contents.unattributed());
    }

    @GetMapping("/{entry}")
    EntryDetail show(ApiKeyPrincipal principal, @PathVariable String entry) {
        DeadLetterQueue.Entry found = find(principal, EntryId.parse(entry));
        DeadLetter letter = found.letter();
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : letter.headers()) {
            headers.put(header.key(), DeadLetter.utf8(header.value()).orElseGet(() -> base64(header.value())));
        }
        String value = letter.value() == null ? null : DeadLetter.utf8(letter.value()).orElse(null);
        String encoding = letter.value() == null ? null : value != null ? "utf-8" : "base64";
        EntrySummary summary = summary(found);
        return new EntryDetail(summary.id(), summary.documentId(), summary.reason(), summary.exception(),
                summary.time(), summary.source(), summary.redriven(), summary.redrivenAt(),
                found.marker().map(DlqMarkers.Marker::redrivenBy).orElse(null),
                DeadLetter.utf8(letter.key()).orElse(null), headers,
                value != null ? value : letter.value() == null ? null : base64(letter.value()), encoding);
    }

    @PostMapping("/{entry}/redrive")
    Redriven redrive(ApiKeyPrincipal principal, @PathVariable String entry, HttpServletRequest request) {
        DeadLetterQueue.Entry found = find(principal, EntryId.parse(entry));
        String resource = "dlq/" + found.letter().id();
        return redrive(principal, found, request).orElseThrow(() -> {
            record(principal, AuditActions.DLQ_REDRIVE, resource, AuditActions.REFUSED, request);
            return new ProblemException(HttpStatus.CONFLICT, ALREADY_REDRIVEN, "Already redriven",
                    "DLQ entry " + entry + " was already redriven.");
        });
    }

    @PostMapping("/redrive")
    RedriveAll redriveAll(ApiKeyPrincipal principal, HttpServletRequest request) {
        List<Redriven> redriven = new ArrayList<>();
        for (DeadLetterQueue.Entry entry : kafka(() -> queue.contents(principal.tenant())).entries()) {
            if (!entry.redriven()) {
                redrive(principal, entry, request).ifPresent(redriven::add);
            }
        }
        return new RedriveAll(redriven.size(), redriven);
    }

    @DeleteMapping
    DeadLetterQueue.Purge purge(ApiKeyPrincipal principal, HttpServletRequest request) {
        DeadLetterQueue.Purge purge = kafka(() -> queue.purge(principal.tenant(), actor(principal)));
        record(principal, AuditActions.DLQ_PURGE, "dlq", AuditActions.SUCCEEDED, request);
        return purge;
    }

    /** Runs a call that reads or writes Kafka; Kafka not answering in time is a 503, not a 500. */
    private static <T> T kafka(Supplier<T> call) {
        try {
            return call.get();
        } catch (KafkaException e) {
            throw ProblemException.serviceUnavailable("Kafka did not answer in time; retry later.",
                    DlqConfiguration.KAFKA_TIMEOUT, e);
        }
    }

    private Optional<Redriven> redrive(ApiKeyPrincipal principal, DeadLetterQueue.Entry entry,
            HttpServletRequest request) {
        String resource = "dlq/" + entry.letter().id();
        Optional<RecordMetadata> landed;
        try {
            landed = kafka(() -> queue.redrive(entry, actor(principal)));
        } catch (RuntimeException e) {
            record(principal, AuditActions.DLQ_REDRIVE, resource, AuditActions.FAILED, request);
            throw e;
        }
        landed.ifPresent(metadata -> record(principal, AuditActions.DLQ_REDRIVE, resource, AuditActions.SUCCEEDED,
                request));
        return landed.map(metadata -> new Redriven(entry.letter().id().toString(), metadata.topic(),
                metadata.partition(), metadata.offset()));
    }

    private DeadLetterQueue.Entry find(ApiKeyPrincipal principal, EntryId id) {
        return kafka(() -> queue.find(principal.tenant(), id))
                .orElseThrow(() -> ProblemException.notFound("There is no DLQ entry " + id + " for this tenant."));
    }

    private void record(ApiKeyPrincipal principal, String action, String resource, String outcome,
            HttpServletRequest request) {
        audit.ifAvailable(trail -> trail.record(principal.tenant(), actor(principal), action, resource, outcome,
                RequestIdFilter.requestId(request)));
    }

    private static String actor(ApiKeyPrincipal principal) {
        return AuditActions.keyActor(principal.keyId());
    }

    private static EntrySummary summary(DeadLetterQueue.Entry entry) {
        DeadLetter letter = entry.letter();
        return new EntrySummary(letter.id().toString(),
                letter.documentKey().map(DocumentKey::documentId).orElse(null), letter.reason(),
                letter.exception().orElse(null), letter.time(), letter.source().orElse(null), entry.redriven(),
                entry.marker().map(DlqMarkers.Marker::redrivenAt).orElse(null));
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
