package io.docstream.invalidator.invalidation;

import io.docstream.schemas.events.AuditEvent;
import io.docstream.schemas.events.CacheInvalidated;

/** What handling one indexed version produced: the invalidation for every query-api and its audit event. */
record Invalidated(CacheInvalidated invalidation, AuditEvent audit) {
}
