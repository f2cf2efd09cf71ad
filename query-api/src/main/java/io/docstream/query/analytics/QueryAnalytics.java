package io.docstream.query.analytics;

import static io.docstream.schemas.db.Tables.QUERY_STATS;
import static io.docstream.schemas.db.Tables.SEARCH_STATS;

import io.docstream.schemas.analytics.LatencyBuckets;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.SortField;
import org.jooq.impl.DSL;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads what the analytics app counted ({@code query_stats}, {@code search_stats}) for a tenant and a span of
 * windows: top, fruitless and slow queries, a summary per mode, and the most asked request shapes to keep warm.
 */
public final class QueryAnalytics {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DSLContext dsl;

    public QueryAnalytics(DSLContext dsl) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
    }

    /** Which queries a listing ranks first. */
    enum Kind {
        TOP, NO_RESULTS, SLOW
    }

    /** One query over the span: its text (null when only its hash is kept) and what its searches came to. */
    record QueryFigures(String query, String queryHash, long searches, long zeroResults, double avgLatencyMs,
            double maxLatencyMs) {
    }

    /** One mode over the span. */
    record ModeFigures(String mode, long searches, long firstPages, long zeroResults, long l1Hits, long l2Hits,
            long misses, long degraded, double p50LatencyMs, double p95LatencyMs, double cacheHitRate,
            double noResultRate) {
    }

    /** A request shape worth keeping warm: what a search asked, as the search API takes it. */
    public record HotShape(String query, String mode, String fusion, int k, Map<String, String> filters,
            long searches) {
    }

    List<QueryFigures> queries(String tenant, Kind kind, Instant from, Instant to, int limit) {
        Field<BigDecimal> searches = DSL.sum(QUERY_STATS.SEARCHES);
        Field<BigDecimal> zeroResults = DSL.sum(QUERY_STATS.ZERO_RESULTS);
        Field<BigDecimal> latencySum = DSL.sum(QUERY_STATS.LATENCY_SUM_MICROS);
        Field<Long> latencyMax = DSL.max(QUERY_STATS.LATENCY_MAX_MICROS);
        Field<String> text = DSL.max(QUERY_STATS.QUERY_TEXT);
        Field<BigDecimal> avgLatency = latencySum.div(DSL.greatest(searches, DSL.inline(BigDecimal.ONE)));
        List<SortField<?>> order = switch (kind) {
            case TOP -> List.of(searches.desc(), QUERY_STATS.QUERY_HASH.asc());
            case NO_RESULTS -> List.of(zeroResults.desc(), searches.desc(), QUERY_STATS.QUERY_HASH.asc());
            case SLOW -> List.of(avgLatency.desc(), QUERY_STATS.QUERY_HASH.asc());
        };
        Condition having = kind == Kind.NO_RESULTS ? zeroResults.gt(BigDecimal.ZERO) : searches.gt(BigDecimal.ZERO);
        return dsl.select(QUERY_STATS.QUERY_HASH, text, searches, zeroResults, avgLatency, latencyMax)
                .from(QUERY_STATS)
                .where(span(tenant, from, to))
                .groupBy(QUERY_STATS.QUERY_HASH)
                .having(having)
                .orderBy(order)
                .limit(limit)
                .fetch(row -> new QueryFigures(row.get(text), row.get(QUERY_STATS.QUERY_HASH),
                        row.get(searches).longValue(), row.get(zeroResults).longValue(),
                        row.get(avgLatency).doubleValue() / 1000, row.get(latencyMax) / 1000.0));
    }

    List<ModeFigures> modes(String tenant, Instant from, Instant to) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, long[]> latencies = new LinkedHashMap<>();
        dsl.selectFrom(SEARCH_STATS)
                .where(SEARCH_STATS.TENANT_ID.eq(tenant))
                .and(SEARCH_STATS.WINDOW_START.ge(from.atOffset(ZoneOffset.UTC)))
                .and(SEARCH_STATS.WINDOW_START.lt(to.atOffset(ZoneOffset.UTC)))
                .orderBy(SEARCH_STATS.MODE)
                .forEach(row -> {
                    long[] sums = counts.computeIfAbsent(row.getMode(), mode -> new long[7]);
                    sums[0] += row.getSearches();
                    sums[1] += row.getFirstPages();
                    sums[2] += row.getZeroResults();
                    sums[3] += row.getL1Hits();
                    sums[4] += row.getL2Hits();
                    sums[5] += row.getMisses();
                    sums[6] += row.getDegraded();
                    long[] buckets = java.util.Arrays.stream(row.getLatencyBuckets()).mapToLong(Long::longValue)
                            .toArray();
                    latencies.merge(row.getMode(), buckets, LatencyBuckets::add);
                });
        List<ModeFigures> figures = new ArrayList<>();
        counts.forEach((mode, sums) -> {
            long[] buckets = latencies.get(mode);
            figures.add(new ModeFigures(mode, sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], sums[6],
                    LatencyBuckets.quantileMillis(buckets, 0.5), LatencyBuckets.quantileMillis(buckets, 0.95),
                    sums[0] == 0 ? 0 : (double) (sums[3] + sums[4]) / sums[0],
                    sums[1] == 0 ? 0 : (double) sums[2] / sums[1]));
        });
        return figures;
    }

    /** The tenant's most asked request shapes since {@code since} whose query text is kept, most asked first. */
    public List<HotShape> hotShapes(String tenant, Instant since, int limit) {
        Field<BigDecimal> searches = DSL.sum(QUERY_STATS.SEARCHES);
        return dsl.select(QUERY_STATS.QUERY_TEXT, QUERY_STATS.MODE, QUERY_STATS.FUSION, QUERY_STATS.K,
                        QUERY_STATS.FILTERS, searches)
                .from(QUERY_STATS)
                .where(QUERY_STATS.TENANT_ID.eq(tenant))
                .and(QUERY_STATS.WINDOW_START.ge(since.atOffset(ZoneOffset.UTC)))
                .and(QUERY_STATS.QUERY_TEXT.isNotNull())
                .groupBy(QUERY_STATS.SHAPE_HASH, QUERY_STATS.QUERY_TEXT, QUERY_STATS.MODE, QUERY_STATS.FUSION,
                        QUERY_STATS.K, QUERY_STATS.FILTERS)
                .orderBy(searches.desc(), QUERY_STATS.SHAPE_HASH.asc())
                .limit(limit)
                .fetch(row -> hotShape(row, row.get(searches).longValue()));
    }

    /** Tenants that searched since {@code since}. */
    public List<String> activeTenants(Instant since) {
        return dsl.selectDistinct(QUERY_STATS.TENANT_ID).from(QUERY_STATS)
                .where(QUERY_STATS.WINDOW_START.ge(since.atOffset(ZoneOffset.UTC)))
                .orderBy(QUERY_STATS.TENANT_ID)
                .fetch(QUERY_STATS.TENANT_ID);
    }

    private static HotShape hotShape(Record row, long searches) {
        JSONB filters = row.get(QUERY_STATS.FILTERS);
        Map<String, String> parsed = filters == null ? Map.of()
                : JSON.readValue(filters.data(), new TypeReference<Map<String, String>>() { });
        return new HotShape(row.get(QUERY_STATS.QUERY_TEXT), row.get(QUERY_STATS.MODE), row.get(QUERY_STATS.FUSION),
                row.get(QUERY_STATS.K), parsed, searches);
    }

    private static Condition span(String tenant, Instant from, Instant to) {
        return QUERY_STATS.TENANT_ID.eq(tenant)
                .and(QUERY_STATS.WINDOW_START.ge(from.atOffset(ZoneOffset.UTC)))
                .and(QUERY_STATS.WINDOW_START.lt(to.atOffset(ZoneOffset.UTC)));
    }
}
