package io.docstream.invalidator.analytics;

import static io.docstream.schemas.db.Tables.QUERY_STATS;
import static io.docstream.schemas.db.Tables.SEARCH_STATS;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.impl.DSL;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the analytics app's counts to {@code query_stats} and {@code search_stats}: each row's values whole, in
 * one transaction per flush, so a flush repeated after a crash writes the same rows again.
 */
final class AnalyticsStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DSLContext dsl;

    AnalyticsStore(DSLContext dsl) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
    }

    void write(Collection<ShapeCounts> shapes, Collection<ModeCounts> modes) {
        if (shapes.isEmpty() && modes.isEmpty()) {
            return;
        }
        dsl.transaction(transaction -> {
            DSLContext tx = transaction.dsl();
            for (ShapeCounts shape : shapes) {
                Map<Field<?>, Object> counts = new LinkedHashMap<>();
                counts.put(QUERY_STATS.QUERY_TEXT, shape.queryText());
                counts.put(QUERY_STATS.SEARCHES, shape.searches());
                counts.put(QUERY_STATS.ZERO_RESULTS, shape.zeroResults());
                counts.put(QUERY_STATS.LATENCY_SUM_MICROS, shape.latencySumMicros());
                counts.put(QUERY_STATS.LATENCY_MAX_MICROS, shape.latencyMaxMicros());
                tx.insertInto(QUERY_STATS)
                        .set(QUERY_STATS.TENANT_ID, shape.tenant())
                        .set(QUERY_STATS.WINDOW_START, shape.windowStart().atOffset(ZoneOffset.UTC))
                        .set(QUERY_STATS.SHAPE_HASH, shape.shapeHash())
                        .set(QUERY_STATS.QUERY_HASH, shape.queryHash())
                        .set(QUERY_STATS.MODE, shape.mode())
                        .set(QUERY_STATS.FUSION, shape.fusion())
                        .set(QUERY_STATS.K, shape.k())
                        .set(QUERY_STATS.FILTERS, JSONB.valueOf(JSON.writeValueAsString(shape.filters())))
                        .set(counts)
                        .onConflict(QUERY_STATS.TENANT_ID, QUERY_STATS.WINDOW_START, QUERY_STATS.SHAPE_HASH)
                        .doUpdate()
                        .set(counts)
                        .set(QUERY_STATS.UPDATED_AT, DSL.currentOffsetDateTime())
                        .execute();
            }
            for (ModeCounts mode : modes) {
                Map<Field<?>, Object> counts = new LinkedHashMap<>();
                counts.put(SEARCH_STATS.SEARCHES, mode.searches());
                counts.put(SEARCH_STATS.FIRST_PAGES, mode.firstPages());
                counts.put(SEARCH_STATS.ZERO_RESULTS, mode.zeroResults());
                counts.put(SEARCH_STATS.L1_HITS, mode.l1Hits());
                counts.put(SEARCH_STATS.L2_HITS, mode.l2Hits());
                counts.put(SEARCH_STATS.MISSES, mode.misses());
                counts.put(SEARCH_STATS.DEGRADED, mode.degraded());
                counts.put(SEARCH_STATS.LATENCY_BUCKETS, Arrays.stream(mode.latencyBuckets()).boxed()
                        .toArray(Long[]::new));
                tx.insertInto(SEARCH_STATS)
                        .set(SEARCH_STATS.TENANT_ID, mode.tenant())
                        .set(SEARCH_STATS.WINDOW_START, mode.windowStart().atOffset(ZoneOffset.UTC))
                        .set(SEARCH_STATS.MODE, mode.mode())
                        .set(counts)
                        .onConflict(SEARCH_STATS.TENANT_ID, SEARCH_STATS.WINDOW_START, SEARCH_STATS.MODE)
                        .doUpdate()
                        .set(counts)
                        .set(SEARCH_STATS.UPDATED_AT, DSL.currentOffsetDateTime())
                        .execute();
            }
        });
    }

    /** Removes the windows that started before {@code oldest}; returns how many rows went. */
    int deleteBefore(Instant oldest) {
        return dsl.transactionResult(transaction -> {
            DSLContext tx = transaction.dsl();
            return tx.deleteFrom(QUERY_STATS).where(QUERY_STATS.WINDOW_START.lt(oldest.atOffset(ZoneOffset.UTC)))
                    .execute()
                    + tx.deleteFrom(SEARCH_STATS).where(SEARCH_STATS.WINDOW_START.lt(oldest.atOffset(ZoneOffset.UTC)))
                            .execute();
        });
    }
}
