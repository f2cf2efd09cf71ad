package io.docstream.query.admin;

import io.docstream.query.admin.SystemStatus.CacheHitRate;
import io.docstream.query.admin.SystemStatus.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What this instance's meters say: cache lookups by answering layer (the {@code docstream.cache.requests}
 * counters of {@code TwoLevelCache}), and circuit breaker states as resilience4j's Micrometer binding
 * publishes them ({@code resilience4j.circuitbreaker.state}, 1 for the current state). Without resilience4j
 * there are no such gauges and the list is empty.
 */
final class MeterReadings {

    static final String CACHE_REQUESTS = "docstream.cache.requests";
    static final String BREAKER_STATE = "resilience4j.circuitbreaker.state";

    private final MeterRegistry meters;

    MeterReadings(MeterRegistry meters) {
        this.meters = meters;
    }

    List<CacheHitRate> cacheHitRates() {
        Map<String, long[]> byCache = new TreeMap<>();
        for (Counter counter : meters.find(CACHE_REQUESTS).counters()) {
            String cache = counter.getId().getTag("cache");
            String layer = counter.getId().getTag("layer");
            long[] layers = byCache.computeIfAbsent(cache, name -> new long[3]);
            int slot = "l1".equals(layer) ? 0 : "l2".equals(layer) ? 1 : 2;
            layers[slot] += (long) counter.count();
        }
        return byCache.entrySet().stream().map(entry -> {
            long[] layers = entry.getValue();
            long total = layers[0] + layers[1] + layers[2];
            Double rate = total == 0 ? null : Math.round((layers[0] + layers[1]) * 1000.0 / total) / 1000.0;
            return new CacheHitRate(entry.getKey(), layers[0], layers[1], layers[2], rate);
        }).toList();
    }

    List<CircuitBreaker> circuitBreakers() {
        Map<String, String> states = new TreeMap<>();
        for (Gauge gauge : meters.find(BREAKER_STATE).gauges()) {
            if (gauge.value() == 1.0) {
                states.put(gauge.getId().getTag("name"), gauge.getId().getTag("state"));
            }
        }
        return states.entrySet().stream().map(entry -> new CircuitBreaker(entry.getKey(), entry.getValue())).toList();
    }
}
