package io.docstream.indexer.admin;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a replay got, from the group's committed offsets between where it started and the goal (the
 * end of every partition when it started). Records written after the start are not part of the goal.
 *
 * @param records records consumed since the start, counted up to the goal
 * @param total   records between the start and the goal
 * @param lag     records still to consume before the goal
 */
record ReplayProgress(long records, long total, long lag) {

    static ReplayProgress of(Map<TopicPartition, Long> start, Map<TopicPartition, Long> goal,
            Map<TopicPartition, Long> committed) {
        long records = 0;
        long total = 0;
        for (Map.Entry<TopicPartition, Long> end : goal.entrySet()) {
            long from = start.getOrDefault(end.getKey(), end.getValue());
            long size = Math.max(0, end.getValue() - from);
            long at = committed.getOrDefault(end.getKey(), from);
            total += size;
            records += Math.clamp(at - from, 0, size);
        }
        return new ReplayProgress(records, total, total - records);
    }

    boolean complete() {
        return lag == 0;
    }

    /** Records per second over {@code elapsed}. */
    double perSecond(Duration elapsed) {
        double seconds = elapsed.toMillis() / 1000.0;
        return seconds <= 0 ? 0 : records / seconds;
    }

    /** Seconds until the goal at the rate so far; null while nothing was consumed yet. */
    Long etaSeconds(Duration elapsed) {
        if (complete()) {
            return 0L;
        }
        double rate = perSecond(elapsed);
        return rate <= 0 ? null : (long) Math.ceil(lag / rate);
    }
}
