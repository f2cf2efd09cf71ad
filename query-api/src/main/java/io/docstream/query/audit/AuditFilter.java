package io.docstream.query.audit;

import java.time.Instant;

/**
 * What an audit listing is restricted to, besides the caller's tenant; null means "any". {@code since} is
 * inclusive, {@code until} exclusive.
 */
record AuditFilter(String actor, String action, String requestId, Instant since, Instant until) {
}
