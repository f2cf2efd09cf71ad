package io.docstream.cli.compose;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The recording and alerting rules of {@code observability/prometheus/rules} and the alert cases of their
 * {@code promtool test rules} files, read as data so tests can check what promtool does not: every alert
 * is actionable and has a case that fires and one that must not.
 */
record PrometheusRules(List<Rule> rules, List<AlertCase> cases) {

    /** One rule: {@code record} or {@code alert} is set, the other is null. */
    record Rule(Path file, String record, String alert, String expr, String forDuration,
            Map<String, String> labels, Map<String, String> annotations) {
    }

    /**
     * One {@code alert_rule_test} entry: whether it expects the alert to fire, and whether every expected
     * alert names its labels and annotations (promtool then compares them exactly).
     */
    record AlertCase(Path file, String test, String alertname, boolean fires, boolean checksLabelsAndAnnotations) {
    }

    static PrometheusRules read(ComposeStack stack) {
        List<Rule> rules = new ArrayList<>();
        for (Path file : stack.prometheusRuleFiles()) {
            for (JsonNode group : ComposeStack.yaml(file).path("groups").values()) {
                for (JsonNode rule : group.path("rules").values()) {
                    rules.add(new Rule(file, text(rule, "record"), text(rule, "alert"), rule.path("expr").asString(""),
                            text(rule, "for"), strings(rule.path("labels")), strings(rule.path("annotations"))));
                }
            }
        }
        List<AlertCase> cases = new ArrayList<>();
        for (Path file : stack.prometheusRuleTestFiles()) {
            for (JsonNode test : ComposeStack.yaml(file).path("tests").values()) {
                for (JsonNode check : test.path("alert_rule_test").values()) {
                    List<JsonNode> expected = check.path("exp_alerts").values().stream().toList();
                    boolean complete = expected.stream().allMatch(alert ->
                            !alert.path("exp_labels").isEmpty() && !alert.path("exp_annotations").isEmpty());
                    cases.add(new AlertCase(file, test.path("name").asString(""), check.path("alertname").asString(),
                            !expected.isEmpty(), complete));
                }
            }
        }
        return new PrometheusRules(List.copyOf(rules), List.copyOf(cases));
    }

    List<Rule> alerts() {
        return rules.stream().filter(rule -> rule.alert() != null).toList();
    }

    List<String> recorded() {
        return rules.stream().map(Rule::record).filter(record -> record != null).toList();
    }

    List<String> expressions() {
        return rules.stream().map(Rule::expr).toList();
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).isMissingNode() || node.path(field).isNull() ? null : node.path(field).asString();
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> values = new LinkedHashMap<>();
        object.properties().forEach(entry -> values.put(entry.getKey(), entry.getValue().asString()));
        return values;
    }
}
