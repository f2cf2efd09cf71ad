package io.docstream.query.admin;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of {@code GET /api/v1/admin/status} under {@code docstream.status.*}.
 *
 * @param topicScanTimeout how long the documents topic may be read to count the tenant's live documents (10s)
 * @param freshnessWindow  documents made searchable within this window make the freshness percentiles (1h)
 */
@ConfigurationProperties("docstream.status")
record StatusProperties(@DefaultValue("10s") Duration topicScanTimeout, @DefaultValue("1h") Duration freshnessWindow) {
}
