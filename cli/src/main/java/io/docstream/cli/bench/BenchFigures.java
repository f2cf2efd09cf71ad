package io.docstream.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of one scenario: its headline figures, each beside the anchor it is judged against (measured in
 * the same run), the ratio of the two and the target, plus free-form details for the JSON report.
 */
final class BenchFigures {

    /**
     * One headline figure. {@code ratio} is figure over anchor (or as described by {@code ratioOf}); {@code met}
     * is null when the figure has no target.
     */
    record Figure(String name, Double value, String unit, String anchor, Double anchorValue, String ratioOf,
            Double ratio, String target, Boolean met) {
    }

    private final List<Figure> figures = new ArrayList<>();
    private final Map<String, Object> details = new LinkedHashMap<>();

    /** A figure without anchor or target (a count, a setting). */
    BenchFigures plain(String name, double value, String unit) {
        figures.add(new Figure(name, round(value), unit, null, null, null, null, null, null));
        return this;
    }

    /** A figure beside an anchor, with the ratio {@code value / anchorValue}, and an optional target. */
    BenchFigures anchored(String name, double value, String unit, String anchor, double anchorValue, String target,
            Boolean met) {
        figures.add(new Figure(name, round(value), unit, anchor, round(anchorValue), "figure / anchor",
                round(value / anchorValue), target, met));
        return this;
    }

    /** A figure beside an anchor whose ratio is defined otherwise (e.g. a speed-up, or an overhead). */
    BenchFigures compared(String name, double value, String unit, String anchor, double anchorValue, String ratioOf,
            double ratio, String target, Boolean met) {
        figures.add(new Figure(name, round(value), unit, anchor, round(anchorValue), ratioOf, round(ratio), target,
                met));
        return this;
    }

    /** A figure judged against an absolute target only. */
    BenchFigures targeted(String name, double value, String unit, String target, Boolean met) {
        figures.add(new Figure(name, round(value), unit, null, null, null, null, target, met));
        return this;
    }

    BenchFigures detail(String key, Object value) {
        details.put(key, value);
        return this;
    }

    List<Figure> figures() {
        return List.copyOf(figures);
    }

    Map<String, Object> details() {
        return details;
    }

    /** Met when the number is present and passes; null (unknown) when it is missing. */
    static Boolean atLeast(double value, double bound) {
        return Double.isNaN(value) ? null : value >= bound;
    }

    static Boolean atMost(double value, double bound) {
        return Double.isNaN(value) ? null : value <= bound;
    }

    /** Three decimals; NaN and infinities (a missing measurement) become null in the JSON. */
    static Double round(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return null;
        }
        return Math.round(value * 1000) / 1000.0;
    }

    /** Count and p50/p99 in milliseconds of a set of latencies. */
    static Map<String, Object> latency(Latencies latencies) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("count", latencies.count());
        entry.put("p50Ms", round(latencies.percentileMillis(50)));
        entry.put("p99Ms", round(latencies.percentileMillis(99)));
        return entry;
    }
}
