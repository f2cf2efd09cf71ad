package io.docstream.indexer.admin;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Replay settings under {@code docstream.replay.*}.
 *
 * @param stopTimeout   how long to wait for this instance's indexer to stop and the group to empty (30s)
 * @param checkInterval how often a running replay's committed offsets are compared with its goal (1s)
 */
@ConfigurationProperties("docstream.replay")
record ReplayProperties(@DefaultValue("30s") Duration stopTimeout, @DefaultValue("1s") Duration checkInterval) {
}
