package io.docstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** The layout every bench report has, whichever scenarios ran; the tests of single scenarios and of 'all' share it. */
final class BenchReportShape {

    static final List<String> REPORT = List.of("settings", "scenarios");
    static final List<String> SCENARIO = List.of("seconds", "figures", "memory", "details");
    static final List<String> FIGURE = List.of("name", "value", "unit", "anchor", "anchorValue", "ratioOf", "ratio",
            "target", "met");
    static final List<String> MEMORY = List.of("pid", "maxRssMbDuringScenario", "peakRssMbVmHWM");

    private BenchReportShape() {
    }

    /** Fails unless {@code report} holds exactly {@code scenarios}, each in the common shape. */
    static void assertCommonShape(JsonNode report, List<String> scenarios) {
        assertThat(report.propertyNames()).containsExactlyElementsOf(REPORT);
        assertThat(report.path("settings").propertyNames()).contains("queryUrl", "ingestUrl", "indexerUrl",
                "invalidatorUrl", "redisUri", "seed");
        assertThat(report.path("scenarios").propertyNames()).containsExactlyElementsOf(scenarios);
        for (String name : scenarios) {
            JsonNode scenario = report.path("scenarios").path(name);
            assertThat(scenario.propertyNames()).as(name).containsExactlyElementsOf(SCENARIO);
            assertThat(scenario.path("figures").isArray()).as(name + " figures").isTrue();
            assertThat(scenario.path("figures").isEmpty()).as(name + " figures").isFalse();
            for (JsonNode figure : scenario.path("figures")) {
                assertThat(figure.propertyNames()).as(name + ": " + figure).containsExactlyElementsOf(FIGURE);
            }
            assertThat(scenario.path("memory").propertyNames()).as(name + " memory").containsExactlyElementsOf(MEMORY);
            assertThat(scenario.path("details").isObject()).as(name + " details").isTrue();
        }
    }
}
