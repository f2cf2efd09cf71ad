package io.docstream.cli.bench;

import io.docstream.cli.bench.BenchReport.ScenarioDetails;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of one scenario: its headline figures, each beside the anchor it is judged against (measured in
 * the same run), the ratio of the two and the target, plus the scenario's own details for the JSON report.
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
    private ScenarioDetails details;

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

    BenchFigures details(ScenarioDetails scenarioDetails) {
        this.details = scenarioDetails;
        return this;
    }

    List<Figure> figures() {
        return List.copyOf(figures);
    }

    ScenarioDetails details() {
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
}
