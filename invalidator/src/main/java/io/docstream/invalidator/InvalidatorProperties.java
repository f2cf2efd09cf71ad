package io.docstream.invalidator;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The invalidator's settings under {@code docstream.*}.
 *
 * @param streams {@code docstream.streams.state-dir}, where Kafka Streams keeps its local state
 * @param changes {@code docstream.changes.*}, the tenants' change histories in Redis that let query APIs keep
 *                cached searches a change cannot alter
 */
@ConfigurationProperties("docstream")
public record InvalidatorProperties(@DefaultValue Streams streams, @DefaultValue Changes changes) {

    /**
     * @param retention  how long a tenant's changes are kept (at least the query API's
     *                   {@code docstream.cache.search-max-age}: older pages are recomputed anyway)
     * @param maxEntries most changes kept per tenant; a page older than the oldest kept is recomputed
     */
    public record Changes(@DefaultValue("5m") Duration retention, @DefaultValue("10000") int maxEntries) {

        public Changes {
            if (retention.isNegative() || retention.isZero() || maxEntries < 1) {
                throw new IllegalArgumentException("docstream.changes needs a positive retention and max-entries");
            }
        }
    }

    public record Streams(@DefaultValue(".docstream/streams/invalidator") Path stateDir) {
    }
}
