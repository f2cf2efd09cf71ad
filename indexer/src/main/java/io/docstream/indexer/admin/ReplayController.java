package io.docstream.indexer.admin;

import io.docstream.platform.audit.AuditActions;
import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.docstream.platform.web.ProblemException;
import io.docstream.platform.web.RequestIdFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/admin/replay}: start a replay of the documents topic, and follow it. */
@RestController
class ReplayController {

    private final Replays replays;

    ReplayController(Replays replays) {
        this.replays = replays;
    }

    @PostMapping("/api/v1/admin/replay")
    ResponseEntity<ReplayStatus> start(ApiKeyPrincipal principal, @RequestBody ReplayRequest body,
            HttpServletRequest request) {
        ReplayFrom from = ReplayFrom.parse(body.from());
        String tenant = body.tenant();
        if (tenant != null && !tenant.equals(principal.tenant())) {
            throw ProblemException.forbidden("A key can scope a replay to its own tenant '" + principal.tenant()
                    + "' only.");
        }
        Replays.Caller caller = new Replays.Caller(principal.tenant(), AuditActions.keyActor(principal.keyId()),
                RequestIdFilter.requestId(request));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(replays.start(from, tenant, body.stop(), caller));
    }

    @GetMapping("/api/v1/admin/replay")
    ReplayStatus status(ApiKeyPrincipal principal) {
        return replays.status().seenBy(principal.tenant());
    }
}
