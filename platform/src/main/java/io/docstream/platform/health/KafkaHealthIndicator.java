package io.docstream.platform.health;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Kafka is up when the cluster describes itself within the timeout; details are the cluster id, the number of
 * brokers and the latency. Uses an admin client of its own, built from the service's Kafka settings (security
 * included), so health checks never queue behind the service's own admin work.
 */
public final class KafkaHealthIndicator implements HealthIndicator, AutoCloseable {

    private final Admin admin;
    private final Duration timeout;

    public KafkaHealthIndicator(Map<String, Object> adminConfig, String clientId, Duration timeout) {
        Map<String, Object> config = new HashMap<>(adminConfig);
        int millis = (int) Math.max(1, timeout.toMillis());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        this.admin = Admin.create(config);
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        return DependencyCheck.run(timeout, () -> {
            DescribeClusterResult cluster = admin.describeCluster(
                    new DescribeClusterOptions().timeoutMs((int) Math.max(1, timeout.toMillis())));
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("clusterId", cluster.clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            details.put("brokers", cluster.nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size());
            return details;
        });
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(1));
    }
}
