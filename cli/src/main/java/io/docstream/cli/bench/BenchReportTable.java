package io.docstream.cli.bench;

import io.docstream.cli.bench.BenchFigures.Figure;
import io.docstream.cli.bench.BenchReport.ScenarioResult;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** The scenarios' headline figures as the terminal shows them; the JSON report holds the same and more. */
final class BenchReportTable {

    private BenchReportTable() {
    }

    static void print(Map<String, ScenarioResult> scenarios, PrintStream out) {
        out.printf(Locale.ROOT, "  %-54s %12s %-7s %12s %9s  %-11s %s%n", "figure", "value", "unit", "anchor", "ratio",
                "target", "met");
        scenarios.forEach((name, scenario) -> {
            out.printf(Locale.ROOT, "%s  (%s s; service JVM RSS max %s MB, VmHWM %s MB)%n", name,
                    number(scenario.seconds()), number(scenario.memory().maxRssMbDuringScenario()),
                    number(scenario.memory().peakRssMbVmHWM()));
            for (Figure figure : scenario.figures()) {
                out.printf(Locale.ROOT, "  %-54s %12s %-7s %12s %9s  %-11s %s%n", figure.name(),
                        number(figure.value()), figure.unit(), figure.anchor() == null ? "" : number(figure.anchorValue()),
                        figure.ratio() == null ? "" : number(figure.ratio()),
                        figure.target() == null ? "" : figure.target(),
                        figure.met() == null ? (figure.target() == null ? "" : "n/a") : figure.met() ? "yes" : "NO");
                if (figure.anchor() != null) {
                    out.printf(Locale.ROOT, "      anchor: %s; ratio = %s%n", figure.anchor(), figure.ratioOf());
                }
            }
        });
    }

    private static String number(Double value) {
        return value != null ? String.format(Locale.ROOT, "%.3f", value) : "n/a";
    }
}
