package io.docstream.indexer.reindex;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code docstream.reindex.*}: when a reindex may switch the alias and how its reader runs.
 *
 * @param switchMaxLag   the alias is switched (automatically, or on request) only once the reader is at most
 *                       this many records behind the documents topic
 * @param pollTimeout    longest wait for new records in one poll
 * @param maxPollRecords records read (and written as one batch) per poll
 * @param retries        attempts at writing one batch when the index or database fails before the reindex fails
 * @param retryBackoff   wait between those attempts
 * @param switchRewind   at the switch the reader goes back this many records per partition before the indexer's
 *                       committed offsets: the indexer commits a command's offset when it enters its batch store,
 *                       before the batch is written, so the commands of its in-flight batch (at most a batch of
 *                       documents per partition) lie before the committed offset yet may reach only the new target
 */
@ConfigurationProperties("docstream.reindex")
record ReindexProperties(@DefaultValue("0") long switchMaxLag, @DefaultValue("500ms") Duration pollTimeout,
        @DefaultValue("256") int maxPollRecords, @DefaultValue("10") int retries,
        @DefaultValue("1s") Duration retryBackoff, @DefaultValue("1000") long switchRewind) {

    ReindexProperties {
        if (switchMaxLag < 0 || switchRewind < 0 || maxPollRecords < 1 || retries < 1 || !pollTimeout.isPositive()
                || retryBackoff.isNegative()) {
            throw new IllegalArgumentException("docstream.reindex: switch-max-lag and switch-rewind must not be negative, "
                    + "max-poll-records and retries must be positive, poll-timeout positive");
        }
    }
}
