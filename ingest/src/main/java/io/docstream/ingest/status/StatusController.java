package io.docstream.ingest.status;

import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.docstream.platform.web.ProblemException;
import io.docstream.schemas.events.DocumentKey;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
class StatusController {

    private final IndexingStatuses statuses;

    StatusController(IndexingStatuses statuses) {
        this.statuses = statuses;
    }

    @GetMapping("/api/v1/documents/{id}/status")
    DocumentStatus status(ApiKeyPrincipal principal, @PathVariable String id) {
        if (!DocumentKey.DOCUMENT_ID.matcher(id).matches()) {
            throw ProblemException.invalidRequest("The document id in the path is not valid.");
        }
        return statuses.find(principal.tenant(), id)
                .orElseThrow(() -> ProblemException.notFound("No document '" + id + "' was ever accepted."));
    }
}
