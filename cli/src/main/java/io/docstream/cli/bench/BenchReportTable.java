package io.docstream.cli.bench;

import io.docstream.cli.bench.BenchFigures.Figure;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The scenarios' headline figures as the terminal shows them; the JSON report holds the same and more. */
final class BenchReportTable {

    private BenchReportTable() {
    }

    @SuppressWarnings("unchecked")
    static void print(Map<String, Object> scenarios, PrintStream out) {
        out.printf(Locale.ROOT, "  %-54s %12s %-7s %12s %9s  %-11s %s%n", "figure", "value", "unit", "anchor", "ratio",
                "target", "met");
        scenarios.forEach((name, value) -> {
            Map<String, Object> scenario = (Map<String, Object>) value;
            Map<String, Object> memory = (Map<String, Object>) scenario.get("memory");
            out.printf(Locale.ROOT, "%s  (%s s; service JVM RSS max %s MB, VmHWM %s MB)%n", name,
                    number(scenario.get("seconds")), number(memory.get("maxRssMbDuringScenario")),
                    number(memory.get("peakRssMbVmHWM")));
            for (Figure figure : (List<Figure>) scenario.get("figures")) {
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

    private static String number(Object value) {
        return value instanceof Number number ? String.format(Locale.ROOT, "%.3f", number.doubleValue()) : "n/a";
    }
}
