package io.docstream.platform.audit;

import java.util.UUID;

/**
 * The stable names of audited actions and outcomes ({@code AuditEvent.action}/{@code outcome}); the
 * audit API filters on them, so they never change meaning. Actors are {@code key:<key id>} for API
 * callers and {@code system:<service>} for the pipeline itself.
 */
public final class AuditActions {

    public static final String DOCUMENT_UPSERT = "document.upsert";
    public static final String DOCUMENT_DELETE = "document.delete";
    public static final String DOCUMENT_INDEXED = "document.indexed";
    public static final String DOCUMENT_DELETED = "document.deleted";
    public static final String KEY_CREATE = "key.create";
    public static final String TENANT_CREATE = "tenant.create";
    public static final String TENANT_DISABLE = "tenant.disable";
    public static final String TENANT_ENABLE = "tenant.enable";
    public static final String KEY_REVOKE = "key.revoke";
    public static final String REPLAY = "replay";
    public static final String REINDEX_START = "reindex.start";
    public static final String REINDEX_SWITCH = "reindex.switch";
    public static final String REINDEX_ROLLBACK = "reindex.rollback";
    public static final String REINDEX_FINISH = "reindex.finish";
    public static final String DLQ_REDRIVE = "dlq.redrive";
    public static final String DLQ_PURGE = "dlq.purge";
    /** A search, recorded from its query event by the analytics app. */
    public static final String SEARCH = "search";

    public static final String ACCEPTED = "accepted";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String REFUSED = "refused";

    private AuditActions() {
    }

    /** The actor of a call made with an API key. */
    public static String keyActor(UUID keyId) {
        return "key:" + keyId;
    }

    /** The actor of a call made with the API key of this id, as an event carries it. */
    public static String keyActor(String keyId) {
        return "key:" + keyId;
    }

    /** The actor of something a service did on its own. */
    public static String systemActor(String service) {
        return "system:" + service;
    }
}
