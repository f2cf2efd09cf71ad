package io.docstream.search;

import io.docstream.platform.health.DependencyCheck;

import io.docstream.search.SearchIndex;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The search index is up when it counts the documents of a tenant that cannot exist (tenant ids never start
 * with a dot): one cheap, read-only round trip through the same adapter searches use.
 */
public final class SearchIndexHealthIndicator implements HealthIndicator {

    static final String PROBE_TENANT = ".health";

    private final SearchIndex index;
    private final Duration timeout;

    public SearchIndexHealthIndicator(SearchIndex index, Duration timeout) {
        this.index = Objects.requireNonNull(index, "index");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public Health health() {
        return DependencyCheck.run(timeout, () -> {
            index.countDocuments(PROBE_TENANT);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("adapter", index.name());
            if (index.readOnly()) {
                details.put("mode", "read-only");
            }
            return details;
        });
    }
}
