package io.docstream.query.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code docstream.consumer.lag.records{group}}: records every docstream consumer group (indexer, invalidator,
 * reindex runs) has yet to process, committed offsets against the partitions' ends, read with the Kafka admin
 * client every {@code refresh-interval}. Published here, by the query API, so the pipeline's lag has one source
 * however many pipeline instances run. A group that disappears stops being published; while Kafka does not
 * answer, the last values stay.
 */
final class ConsumerLagMeters implements AutoCloseable {

    static final String METER = "docstream.consumer.lag.records";

    private static final Logger log = LoggerFactory.getLogger(ConsumerLagMeters.class);

    private final ConsumerGroups groups;
    private final MultiGauge lag;
    private final Duration interval;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("consumer-lag").daemon().factory());

    ConsumerLagMeters(ConsumerGroups groups, MeterRegistry meters, Duration interval) {
        this.groups = groups;
        this.interval = interval;
        this.lag = MultiGauge.builder(METER)
                .description("Records a docstream consumer group has not processed yet (end minus committed offset)")
                .register(meters);
    }

    void start() {
        scheduler.scheduleWithFixedDelay(this::refreshQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads every group's lag now and publishes it. */
    void refresh() {
        List<SystemStatus.ConsumerGroupLag> lags = groups.lags();
        lag.register(lags.stream()
                .map(group -> MultiGauge.Row.of(Tags.of("group", group.group()), group.lag()))
                .toList(), true);
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            log.debug("could not read the consumer groups' lag: {}", e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
