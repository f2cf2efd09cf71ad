package io.docstream.indexer.reindex;

import io.docstream.platform.audit.AuditActions;
import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.docstream.platform.web.ProblemException;
import io.docstream.platform.web.RequestIdFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/admin/reindex}: start a reindex into a new target, follow it, switch the alias, roll it back,
 * finish. A request that does not fit the reindex's state, or would mix models in one target, is a 409.
 */
@RestController
class ReindexController {

    static final String CONFLICT = "reindex-conflict";

    private final Reindexer reindexer;

    ReindexController(Reindexer reindexer) {
        this.reindexer = reindexer;
    }

    @PostMapping("/api/v1/admin/reindex")
    ResponseEntity<ReindexStatus> start(ApiKeyPrincipal principal, @RequestBody(required = false) ReindexRequest body,
            HttpServletRequest request) {
        ReindexRequest reindex = body == null ? new ReindexRequest(null, null, null) : body;
        ReindexStatus status = guarded(() -> reindexer.start(reindex, caller(principal, request)));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(status);
    }

    @GetMapping("/api/v1/admin/reindex")
    ReindexStatus status() {
        return reindexer.status();
    }

    @PostMapping("/api/v1/admin/reindex/switch")
    ReindexStatus switchAlias(ApiKeyPrincipal principal, HttpServletRequest request) {
        return guarded(() -> reindexer.switchAlias(caller(principal, request)));
    }

    @PostMapping("/api/v1/admin/reindex/rollback")
    ReindexStatus rollback(ApiKeyPrincipal principal, HttpServletRequest request) {
        return guarded(() -> reindexer.rollback(caller(principal, request)));
    }

    @PostMapping("/api/v1/admin/reindex/finish")
    ReindexStatus finish(ApiKeyPrincipal principal, @RequestParam(defaultValue = "false") boolean dropOld,
            HttpServletRequest request) {
        return guarded(() -> reindexer.finish(dropOld, caller(principal, request)));
    }

    private static Reindexer.Caller caller(ApiKeyPrincipal principal, HttpServletRequest request) {
        return new Reindexer.Caller(principal.tenant(), AuditActions.keyActor(principal.keyId()),
                RequestIdFilter.requestId(request));
    }

    private static ReindexStatus guarded(Supplier<ReindexStatus> action) {
        try {
            return action.get();
        }
        catch (ReindexConflictException e) {
            throw new ProblemException(HttpStatus.CONFLICT, CONFLICT, "Conflict", e.getMessage());
        }
        catch (IllegalArgumentException e) {
            throw ProblemException.invalidRequest(e.getMessage());
        }
    }
}
