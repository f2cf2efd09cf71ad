package io.docstream.indexer.indexing;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which re-applications the version guard lets through while a replay runs. Outside a replay every
 * command of the version the indexer already applied passes (a retried batch must stay idempotent);
 * during a replay scoped to one tenant, such re-applications of other tenants are skipped and counted,
 * so the replay only pays for that tenant. Newer versions are never affected. Reaches the processors
 * through the Streams configuration ({@link #CONFIG}), so the topology knows nothing of the admin API.
 */
public final class ReplayScope {

    /** The Streams configuration entry holding the app's scope. */
    public static final String CONFIG = "docstream.indexer.replay-scope";

    private volatile Active active;

    /** Starts counting re-applications; {@code tenant} null re-applies every tenant. */
    public void begin(String tenant) {
        active = new Active(tenant, new AtomicLong(), new AtomicLong());
    }

    /** Back to letting every re-application through, uncounted. */
    public void end() {
        active = null;
    }

    /** Whether a replay runs: the indexer then batches and commits for throughput (see {@link BatchSettings.Replay}). */
    public boolean active() {
        return active != null;
    }

    /** Re-applications let through since {@link #begin}. */
    public long reapplied() {
        Active current = active;
        return current == null ? 0 : current.reapplied().get();
    }

    /** Re-applications of other tenants skipped since {@link #begin}. */
    public long skipped() {
        Active current = active;
        return current == null ? 0 : current.skipped().get();
    }

    /** Whether a command of the already applied version of a document of {@code tenant} is applied again. */
    boolean reapplies(String tenant) {
        Active current = active;
        if (current == null) {
            return true;
        }
        if (current.tenant() == null || current.tenant().equals(tenant)) {
            current.reapplied().incrementAndGet();
            return true;
        }
        current.skipped().incrementAndGet();
        return false;
    }

    /** The scope in a Streams app's configuration, or one that never narrows anything. */
    static ReplayScope from(Map<String, Object> appConfigs) {
        return appConfigs.get(CONFIG) instanceof ReplayScope scope ? scope : new ReplayScope();
    }

    private record Active(String tenant, AtomicLong reapplied, AtomicLong skipped) {
    }
}
