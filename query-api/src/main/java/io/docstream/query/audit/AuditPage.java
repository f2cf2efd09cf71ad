package io.docstream.query.audit;

import java.util.List;

/** The body of {@code GET /api/v1/audit}, newest first; {@code nextCursor} is null on the last page. */
record AuditPage(List<AuditEntry> events, String nextCursor) {
}
