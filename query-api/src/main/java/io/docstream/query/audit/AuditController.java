package io.docstream.query.audit;

import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.docstream.platform.web.ProblemException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/audit} (admin scope): the caller's tenant's audit trail, newest first, filtered by actor,
 * action, request id and time, paged by an opaque keyset cursor.
 */
@RestController
class AuditController {

    static final int MAX_LIMIT = 500;
    private static final int MAX_FILTER_LENGTH = 200;

    private final AuditRepository audit;

    AuditController(AuditRepository audit) {
        this.audit = audit;
    }

    @GetMapping("/api/v1/audit")
    AuditPage list(ApiKeyPrincipal principal,
            @RequestParam(required = false) String actor,
            @RequestParam(required = false) String action,
            @RequestParam(required = false) String requestId,
            @RequestParam(required = false) String since,
            @RequestParam(required = false) String until,
            @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.invalidRequest("Parameter 'limit' must be between 1 and " + MAX_LIMIT + ".");
        }
        AuditFilter filter = new AuditFilter(text("actor", actor), text("action", action),
                text("requestId", requestId), instant("since", since), instant("until", until));
        if (filter.since() != null && filter.until() != null && !filter.since().isBefore(filter.until())) {
            throw ProblemException.invalidRequest("Parameter 'since' must be before 'until'.");
        }
        String tenant = principal.tenant();
        List<AuditEntry> page = audit.list(tenant, filter, AuditCursor.decode(cursor, tenant, filter), limit + 1);
        if (page.size() <= limit) {
            return new AuditPage(page, null);
        }
        List<AuditEntry> shown = List.copyOf(page.subList(0, limit));
        AuditEntry last = shown.getLast();
        return new AuditPage(shown, new AuditCursor(last.time(), last.id()).encode(tenant, filter));
    }

    private static String text(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > MAX_FILTER_LENGTH) {
            throw ProblemException.invalidRequest("Parameter '" + name + "' must be at most " + MAX_FILTER_LENGTH
                    + " characters.");
        }
        if (value.indexOf('\u0000') >= 0) {
            throw ProblemException.invalidRequest("Parameter '" + name + "' must not contain NUL characters.");
        }
        return value;
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeException e) {
            throw ProblemException.invalidRequest("Parameter '" + name + "' must be an ISO-8601 instant such as "
                    + "2026-11-02T09:30:00Z.");
        }
    }
}
