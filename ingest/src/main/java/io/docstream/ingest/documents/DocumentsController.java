package io.docstream.ingest.documents;

import io.docstream.platform.logging.LoggingContext;
import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.docstream.platform.web.EntityTags;
import io.docstream.platform.web.ProblemException;
import io.docstream.platform.web.RequestIdFilter;
import io.docstream.ingest.status.IndexingStatuses;
import io.docstream.schemas.events.DeleteDocument;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.UpsertDocument;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The document command API. Every request is validated completely before anything is written, the
 * tenant comes from the API key only, and 202 means Kafka acknowledged the command. Each accepted
 * document is audited.
 */
@RestController
class DocumentsController {

    static final String NDJSON = "application/x-ndjson";
    /**
     * What every command answers. Declared on each mapping so that a client that accepts no JSON gets its 406
     * before the command is published, not after Kafka has it.
     */
    private static final String JSON = MediaType.APPLICATION_JSON_VALUE;

    private static final Logger log = LoggerFactory.getLogger(DocumentsController.class);

    private final DocumentRequestParser parser;
    private final VersionClock versions;
    private final CommandPublisher publisher;
    private final IndexingStatuses statuses;
    private final AcceptedStatusWrites acceptedStatuses;
    private final DocumentAudit audit;
    private final JsonMapper mapper;

    DocumentsController(DocumentRequestParser parser, VersionClock versions, CommandPublisher publisher,
            IndexingStatuses statuses, AcceptedStatusWrites acceptedStatuses, DocumentAudit audit, JsonMapper mapper) {
        this.parser = parser;
        this.versions = versions;
        this.publisher = publisher;
        this.statuses = statuses;
        this.acceptedStatuses = acceptedStatuses;
        this.audit = audit;
        this.mapper = mapper;
    }

    @PostMapping(path = "/api/v1/documents", consumes = MediaType.APPLICATION_JSON_VALUE, produces = JSON)
    ResponseEntity<AcceptedDocument> create(ApiKeyPrincipal principal, @RequestBody JsonNode body,
            HttpServletRequest http) {
        DocumentRequest request = parseOne(body);
        String id = request.id() != null ? request.id() : UUID.randomUUID().toString();
        MDC.put(LoggingContext.DOCUMENT_ID, id);
        return accepted(principal, accept(principal, List.of(upsert(principal, id, request)), http).getFirst());
    }

    @PutMapping(path = "/api/v1/documents/{id}", consumes = MediaType.APPLICATION_JSON_VALUE, produces = JSON)
    ResponseEntity<AcceptedDocument> replace(ApiKeyPrincipal principal, @PathVariable String id,
            @RequestBody JsonNode body, @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            HttpServletRequest http) {
        requireValidPathId(id);
        DocumentRequest request = parseOne(body);
        if (request.id() != null && !request.id().equals(id)) {
            throw rejected(List.of(Violation.invalid("/id", "Field 'id' must equal the document id in the path.")),
                    false);
        }
        return accepted(principal, acceptIfMatch(principal, upsert(principal, id, request), ifMatch, http));
    }

    @DeleteMapping(path = "/api/v1/documents/{id}", produces = JSON)
    ResponseEntity<AcceptedDocument> delete(ApiKeyPrincipal principal, @PathVariable String id,
            @RequestParam(required = false) Long version,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch, HttpServletRequest http) {
        requireValidPathId(id);
        if (version != null && version < 1) {
            throw ProblemException.invalidRequest("Parameter 'version' must be a positive integer.");
        }
        DeleteDocument command = new DeleteDocument(principal.tenant(), id, version != null ? version : versions.next(),
                Instant.now());
        return accepted(principal, acceptIfMatch(principal, command, ifMatch, http));
    }

    /**
     * Optimistic concurrency for producers: with {@code If-Match}, the command is accepted only while the document's
     * accepted version is the one the tag names (the {@code ETag} of a document read, or of an earlier write); the
     * check and the move to the new version happen under a row lock, so of two writes holding one tag one wins and
     * the other gets 412. Without the header, writes are unconditional as before.
     */
    private AcceptedDocument acceptIfMatch(ApiKeyPrincipal principal, DocumentCommand command, String ifMatch,
            HttpServletRequest http) {
        if (ifMatch == null) {
            return accept(principal, List.of(command), http).getFirst();
        }
        EntityTags.requireValidIfMatch(ifMatch);
        String tenant = principal.tenant();
        String id = command.documentId();
        Long previous = statuses.reserve(tenant, id,
                accepted -> EntityTags.matchPasses(ifMatch, EntityTags.document(tenant, id, accepted)),
                command.version()).orElseThrow(() -> ProblemException.preconditionFailed("Document '" + id
                        + "' is not at the version If-Match names; read it again and retry with its ETag."));
        try {
            return accept(principal, List.of(command), http).getFirst();
        } catch (RuntimeException e) {
            statuses.release(tenant, id, previous, command.version());
            throw e;
        }
    }

    @PostMapping(path = "/api/v1/documents:batch", consumes = MediaType.APPLICATION_JSON_VALUE, produces = JSON)
    ResponseEntity<AcceptedBatch> batch(ApiKeyPrincipal principal, @RequestBody JsonNode body,
            HttpServletRequest http) {
        if (!body.isArray()) {
            throw ProblemException.invalidRequest("A batch must be a JSON array of documents (or NDJSON sent as "
                    + NDJSON + ").");
        }
        parser.requireBatchSize(body.size());
        List<JsonNode> documents = new ArrayList<>(body.size());
        body.forEach(documents::add);
        return acceptBatch(principal, documents, http);
    }

    @PostMapping(path = "/api/v1/documents:batch", consumes = NDJSON, produces = JSON)
    ResponseEntity<AcceptedBatch> batchNdjson(ApiKeyPrincipal principal, HttpServletRequest request)
            throws IOException {
        return acceptBatch(principal, parser.readNdjson(request.getInputStream(), mapper), request);
    }

    private ResponseEntity<AcceptedBatch> acceptBatch(ApiKeyPrincipal principal, List<JsonNode> documents,
            HttpServletRequest http) {
        IngestMetrics.documentsInRequest(http, documents.size());
        List<Violation> violations = new ArrayList<>();
        List<DocumentRequest> requests = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            requests.add(parser.parse(documents.get(i), "/" + i, violations));
        }
        if (!violations.isEmpty()) {
            throw rejected(violations, true);
        }
        List<DocumentCommand> commands = requests.stream()
                .map(request -> (DocumentCommand) upsert(principal,
                        request.id() != null ? request.id() : UUID.randomUUID().toString(), request))
                .toList();
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new AcceptedBatch(accept(principal, commands, http)));
    }

    private List<AcceptedDocument> accept(ApiKeyPrincipal principal, List<? extends DocumentCommand> commands,
            HttpServletRequest http) {
        publisher.publish(commands);
        log.debug("accepted {} command(s), first at version {}", commands.size(), commands.getFirst().version());
        acceptedStatuses.record(commands);
        audit.accepted(principal, commands, RequestIdFilter.requestId(http));
        return commands.stream().map(command -> AcceptedDocument.of(command.documentId(), command.version())).toList();
    }

    private UpsertDocument upsert(ApiKeyPrincipal principal, String id, DocumentRequest request) {
        long version = request.version() != null ? request.version() : versions.next();
        return new UpsertDocument(principal.tenant(), id, version, request.title(), request.body(), request.metadata(),
                Instant.now());
    }

    private DocumentRequest parseOne(JsonNode body) {
        List<Violation> violations = new ArrayList<>();
        DocumentRequest request = parser.parse(body, "", violations);
        if (!violations.isEmpty()) {
            throw rejected(violations, false);
        }
        return request;
    }

    private static void requireValidPathId(String id) {
        if (!DocumentRequestParser.isValidId(id)) {
            throw ProblemException.invalidRequest("The document id in the path must be 1 to 128 characters from "
                    + "[A-Za-z0-9._:-], starting with a letter or digit.");
        }
    }

    /** 202 with the status URL, and the tag of the accepted version for the next conditional write. */
    private static ResponseEntity<AcceptedDocument> accepted(ApiKeyPrincipal principal, AcceptedDocument document) {
        return ResponseEntity.accepted().location(URI.create(document.statusUrl()))
                .eTag(EntityTags.document(principal.tenant(), document.id(), document.version())).body(document);
    }

    /** 413 when a document is too large, else 400; every violation is listed under {@code errors}. */
    private static ProblemException rejected(List<Violation> violations, boolean batch) {
        Violation first = violations.stream().filter(Violation::tooLarge).findFirst().orElse(violations.getFirst());
        String detail = batch ? "Document " + first.pointer().split("/")[1] + ": " + first.detail() : first.detail();
        ProblemException problem = first.tooLarge() ? ProblemException.payloadTooLarge(detail)
                : ProblemException.invalidRequest(detail);
        problem.getBody().setProperty("errors", violations.stream()
                .map(violation -> Map.of("pointer", violation.pointer(), "detail", violation.detail()))
                .toList());
        return problem;
    }
}
