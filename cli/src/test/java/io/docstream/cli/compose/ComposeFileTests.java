package io.docstream.cli.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The production-shaped stack checked without a Docker engine: the compose file is valid for Docker
 * Compose and complete (every service, health checks, start order, named volumes, secrets only from
 * files, tracing, scraping), the Dockerfile builds every service, the Prometheus configuration, alert
 * rules and Grafana dashboards are valid and refer only to what exists, and the rules' unit tests pass.
 */
class ComposeFileTests {

    private static final Pattern SECRET_LIKE = Pattern.compile("PASSWORD|API_KEY|SECRET|TOKEN");
    /** A meter registered by name: {@code Counter.builder("docstream.x")}, {@code registry.gauge("docstream.x", ...)}. */
    private static final Pattern METER_NAME = Pattern.compile(
            "\\b(?:builder|counter|timer|summary|gauge)\\(\\s*\"(docstream\\.[a-z0-9.]+)\"");
    /** A meter registered through a constant: {@code Counter.builder(FAILURES_METER)}, {@code builder(Meters.LAG)}. */
    private static final Pattern METER_CONSTANT = Pattern.compile(
            "\\b(?:builder|counter|timer|summary|gauge)\\(\\s*(?:[A-Za-z_][A-Za-z0-9_]*\\.)?([A-Z][A-Z0-9_]*)\\s*[,)]");
    private static final Pattern NAME_CONSTANT = Pattern.compile(
            "\\bString\\s+([A-Z][A-Z0-9_]*)\\s*=\\s*\"(docstream\\.[a-z0-9.]+)\"");
    private static final Pattern DOCSTREAM_SERIES = Pattern.compile("\\bdocstream_[a-z0-9_]+");
    private static final Pattern RECORDED_SERIES = Pattern.compile("\\bdocstream:[a-zA-Z0-9_:]+");
    private static final Pattern RUN_NEXT = Pattern.compile("`(?:\\./docstream|docker compose) [^`]+`");

    private final ComposeStack stack = ComposeStack.locate();
    private final JsonNode compose = stack.compose();
    private final JsonNode services = compose.path("services");

    @Test
    void dockerComposeAcceptsTheFile() {
        // Secret files need not exist for `config`: Compose checks them only when it creates containers.
        ExternalTool compose = ExternalTool.require(ExternalTool.find(
                List.of(List.of("docker", "compose"), List.of("docker-compose")), "version"),
                "Docker Compose (docker compose or docker-compose)", "DOCSTREAM_REQUIRE_COMPOSE_CHECK");

        ExternalTool.Result result = compose.run(stack.root(), "-f", stack.composeFile().toString(), "config", "-q");

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void definesEveryServiceOfTheStack() {
        Set<String> expected = new TreeSet<>(ComposeStack.INFRASTRUCTURE);
        expected.addAll(ComposeStack.APP_PORTS.keySet());

        assertThat(new TreeSet<>(services.propertyNames())).isEqualTo(expected);
    }

    @Test
    void everyServiceHasAHealthCheck() {
        for (String service : services.propertyNames()) {
            JsonNode healthcheck = services.path(service).path("healthcheck");
            assertThat(healthcheck.path("test").isArray() && !healthcheck.path("test").isEmpty())
                    .as("%s has a healthcheck test", service).isTrue();
            assertThat(healthcheck.path("test").get(0).asString()).as(service).isNotEqualTo("NONE");
            assertThat(healthcheck.path("disable").asBoolean(false)).as(service).isFalse();
        }
    }

    @Test
    void appHealthChecksProbeTheServicePort() {
        ComposeStack.APP_PORTS.forEach((app, port) -> assertThat(strings(services.path(app).path("healthcheck").path("test")))
                .as(app).containsSubsequence("http-ok", String.valueOf(port)));
    }

    @Test
    void servicesStartOnlyOnceWhatTheyConnectToIsHealthy() {
        for (String service : services.propertyNames()) {
            JsonNode dependsOn = services.path(service).path("depends_on");
            assertThat(dependsOn.isArray()).as("%s depends_on names conditions", service).isFalse();
            for (String dependency : dependsOn.propertyNames()) {
                assertThat(dependsOn.path(dependency).path("condition").asString())
                        .as("%s waits for %s", service, dependency).isEqualTo("service_healthy");
            }
            Set<String> reached = referencedServices(service);
            assertThat(dependsOn.propertyNames()).as("%s depends on every service its environment names", service)
                    .containsAll(reached);
        }
        for (String app : ComposeStack.APP_PORTS.keySet()) {
            assertThat(services.path(app).path("depends_on").propertyNames()).as(app)
                    .contains("kafka", "postgres", "jaeger");
        }
    }

    @Test
    void keepsStateInDeclaredNamedVolumes() {
        Set<String> declared = new HashSet<>(compose.path("volumes").propertyNames());
        Map<String, Set<String>> namedBy = new LinkedHashMap<>();
        for (String service : services.propertyNames()) {
            for (String source : volumeSources(service)) {
                if (isNamedVolume(source)) {
                    assertThat(declared).as("%s uses volume %s", service, source).contains(source);
                    namedBy.computeIfAbsent(service, s -> new HashSet<>()).add(source);
                }
            }
        }
        assertThat(namedBy.keySet()).containsAll(List.of("kafka", "postgres", "redis", "qdrant", "prometheus", "grafana"));
        assertThat(namedBy.values().stream().flatMap(Set::stream).collect(Collectors.toSet()))
                .as("every declared volume is used").containsAll(declared);
    }

    @Test
    void mountsOnlyFilesThatExistInTheRepository() {
        for (String service : services.propertyNames()) {
            for (String source : volumeSources(service)) {
                if (!isNamedVolume(source)) {
                    Path file = stack.composeDirectory().resolve(source).normalize();
                    assertThat(file).as("%s mounts %s", service, source).exists();
                    assertThat(file.startsWith(stack.root())).as("%s mounts from the repository", service).isTrue();
                }
            }
        }
    }

    @Test
    void takesSecretsOnlyFromFiles() {
        Set<String> declared = new HashSet<>(compose.path("secrets").propertyNames());
        assertThat(declared).containsExactlyInAnyOrderElementsOf(ComposeStack.SECRETS);
        for (String secret : declared) {
            assertThat(compose.path("secrets").path(secret).path("file").asString())
                    .as("secret %s comes from compose/secrets/", secret).isEqualTo("./secrets/" + secret);
        }
        for (String service : services.propertyNames()) {
            Set<String> mounted = new HashSet<>(strings(services.path(service).path("secrets")));
            assertThat(declared).as(service).containsAll(mounted);
            environment(service).forEach((name, value) -> {
                if (SECRET_LIKE.matcher(name).find()) {
                    assertThat(name).as("%s: a secret comes from a file, never a plain value", service).endsWith("_FILE");
                }
                if (name.endsWith("_FILE") && value.startsWith("/run/secrets/")) {
                    assertThat(mounted).as("%s reads %s", service, value).contains(value.substring("/run/secrets/".length()));
                }
            });
        }
    }

    @Test
    void generatesSecretsInTheFormatsTheStackReads(@TempDir Path copy) throws Exception {
        ExternalTool bash = ExternalTool.require(ExternalTool.find(List.of(List.of("bash")), "-c", "true"),
                "bash", "DOCSTREAM_REQUIRE_COMPOSE_CHECK");
        Path script = Files.copy(stack.composeDirectory().resolve("init-secrets.sh"), copy.resolve("init-secrets.sh"));

        assertThat(bash.run(copy, script.toString()).exitCode()).isZero();
        String apiKey = Files.readString(copy.resolve("secrets/api_key"));
        ExternalTool.Result again = bash.run(copy, script.toString());

        assertThat(again.exitCode()).isZero();
        assertThat(Files.readString(copy.resolve("secrets/api_key"))).as("an existing secret is kept").isEqualTo(apiKey);
        assertThat(apiKey).matches("ds_[A-Za-z0-9_-]{43}");
        for (String secret : ComposeStack.SECRETS) {
            assertThat(Files.readString(copy.resolve("secrets").resolve(secret))).as(secret).matches("[A-Za-z0-9_-]{20,}");
        }
        assertThat(Files.getPosixFilePermissions(copy.resolve("secrets")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE, OWNER_EXECUTE]");
        assertThat(Files.readString(stack.root().resolve(".gitignore")).lines()).contains("compose/secrets/");
    }

    @Test
    void everyServiceRunsTheOpenTelemetryAgentExportingToJaeger() {
        ComposeStack.APP_PORTS.keySet().forEach(app -> {
            Map<String, String> environment = environment(app);
            assertThat(environment.get("JAVA_TOOL_OPTIONS")).as(app).contains("-javaagent:/opt/otel/opentelemetry-javaagent.jar");
            assertThat(environment.get("OTEL_EXPORTER_OTLP_ENDPOINT")).as(app).startsWith("http://jaeger:");
            assertThat(environment.get("OTEL_SERVICE_NAME")).as(app).isEqualTo("docstream-" + app);
        });
    }

    @Test
    void indexerCanBeScaledOut() {
        JsonNode indexer = services.path("indexer");

        assertThat(indexer.has("ports")).as("a fixed host port allows one replica only").isFalse();
        for (String service : services.propertyNames()) {
            assertThat(services.path(service).has("container_name")).as("%s has no fixed container name", service).isFalse();
        }
        assertThat(volumeSources("indexer")).as("Streams state stays in each replica's container").isEmpty();
        assertThat(environment("indexer")).containsKey("DOCSTREAM_STREAMS_STATE_DIR");
    }

    @Test
    void buildsEveryServiceImageFromADockerfileTarget() {
        Map<String, String> stages = stack.dockerfileStages();
        for (String app : ComposeStack.APP_PORTS.keySet()) {
            JsonNode build = services.path(app).path("build");
            assertThat(stack.composeDirectory().resolve(build.path("context").asString())
                    .resolve(build.path("dockerfile").asString()).normalize()).isEqualTo(stack.root().resolve("Dockerfile"));
            assertThat(build.path("target").asString()).as(app).isEqualTo(app);
            assertThat(stages).as("Dockerfile stages").containsKey(app);
        }
    }

    @Test
    void pinsEveryImage() {
        List<String> images = new ArrayList<>(stack.dockerfileStages().values().stream()
                .filter(image -> !stack.dockerfileStages().containsKey(image)).toList());
        for (String service : services.propertyNames()) {
            if (!services.path(service).has("build")) {
                images.add(services.path(service).path("image").asString());
            }
        }
        assertThat(images).isNotEmpty().allSatisfy(image ->
                assertThat(image).as("a pinned version tag").matches("[^:]+:(v)?[0-9][^:]*"));
    }

    @Test
    void prometheusScrapesEveryServiceAtItsActuator() {
        JsonNode scrapes = stack.prometheus().path("scrape_configs");
        ComposeStack.APP_PORTS.forEach((app, port) -> {
            List<JsonNode> jobs = stream(scrapes)
                    .filter(job -> "/actuator/prometheus".equals(job.path("metrics_path").asString()))
                    .filter(job -> scrapesTarget(job, app, port)).toList();
            assertThat(jobs).as("a job scrapes %s:%d/actuator/prometheus", app, port).hasSize(1);
        });
        JsonNode indexerJob = stream(scrapes).filter(job -> scrapesTarget(job, "indexer", 8082)).findFirst().orElseThrow();
        assertThat(indexerJob.has("dns_sd_configs")).as("every indexer replica is found through DNS").isTrue();
    }

    @Test
    void prometheusReadsOnlyCredentialsMountedAsSecrets() {
        Set<String> mounted = new HashSet<>(strings(services.path("prometheus").path("secrets")));
        stream(stack.prometheus().path("scrape_configs"))
                .map(job -> job.path("authorization").path("credentials_file").asString(""))
                .filter(file -> !file.isEmpty())
                .forEach(file -> assertThat(mounted).as(file).contains(file.replace("/run/secrets/", "")));
    }

    @Test
    void prometheusConfigurationIsValid() {
        ExternalTool promtool = promtool();

        // Syntax only: the credentials file is a Docker secret that exists inside the container, not here
        // (prometheusReadsOnlyCredentialsMountedAsSecrets checks it is mounted).
        ExternalTool.Result result = promtool.run(stack.root(), "check", "config", "--syntax-only",
                stack.prometheusConfig().toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void grafanaIsProvisionedFromTheRepository() {
        JsonNode grafana = services.path("grafana");
        Map<String, String> mounts = volumeMounts("grafana");
        Path dashboards = stack.grafana().resolve("dashboards");

        assertThat(mounts).containsEntry("../observability/grafana/provisioning", "/etc/grafana/provisioning");
        String dashboardsTarget = mounts.get("../observability/grafana/dashboards");
        List<String> providerPaths = provisioning("dashboards").stream()
                .flatMap(file -> stream(file.path("providers")))
                .map(provider -> provider.path("options").path("path").asString()).toList();
        assertThat(providerPaths).as("the dashboards provider reads the mounted directory").contains(dashboardsTarget);
        assertThat(environment("grafana")).containsKey("GF_SECURITY_ADMIN_PASSWORD__FILE");
        assertThat(dashboardFiles(dashboards)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(grafana.path("depends_on").propertyNames()).contains("prometheus", "jaeger");
    }

    @Test
    void dashboardsParseAndUseOnlyProvisionedDatasources() throws IOException {
        Set<String> provisioned = provisioning("datasources").stream()
                .flatMap(file -> stream(file.path("datasources")))
                .map(datasource -> datasource.path("uid").asString()).collect(Collectors.toSet());
        assertThat(provisioned).contains("prometheus", "jaeger");
        JsonMapper json = JsonMapper.builder().build();

        for (Path file : dashboardFiles(stack.grafana().resolve("dashboards"))) {
            JsonNode dashboard = json.readTree(Files.readString(file));
            assertThat(dashboard.path("uid").asString("")).as(file.toString()).isNotEmpty();
            assertThat(dashboard.path("panels").size()).as(file.toString()).isGreaterThan(4);
            List<String> used = new ArrayList<>();
            collectDatasourceUids(dashboard, used);
            assertThat(used).as(file.toString()).isNotEmpty();
            assertThat(provisioned).as("datasources %s uses", file.getFileName()).containsAll(used);
        }
    }

    @Test
    void dashboardQueriesAreValidPromQL(@TempDir Path work) throws IOException {
        ExternalTool promtool = promtool();
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
        List<String> expressions = dashboardExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            // Grafana's range variables are not PromQL; any duration stands in for them.
            String expression = expressions.get(i).replace("$__rate_interval", "5m").replace("$__range", "1h");
            rules.append("      - record: dashboard:query").append(i).append('\n')
                    .append("        expr: ").append(JsonMapper.builder().build().writeValueAsString(expression)).append('\n');
        }
        Path file = Files.writeString(work.resolve("dashboard-queries.yml"), rules);

        ExternalTool.Result result = promtool.run(work, "check", "rules", file.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains(expressions.size() + " rules found");
    }

    @Test
    void dashboardsAndRulesUseOnlyDocstreamMetersTheServicesRegister() throws IOException {
        Set<String> meters = registeredMeters();
        assertThat(meters).isNotEmpty();
        List<String> expressions = new ArrayList<>(dashboardExpressions());
        expressions.addAll(PrometheusRules.read(stack).expressions());

        Set<String> used = matches(DOCSTREAM_SERIES, expressions);
        Set<String> unregistered = used.stream().filter(series -> Collections.disjoint(meterNames(series), meters))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(used).isNotEmpty();
        assertThat(unregistered).as("series no meter of the code is behind (the code registers %s)", meters).isEmpty();
    }

    @Test
    void dashboardsAndRulesUseOnlyRecordedSeriesTheRulesDefine() throws IOException {
        PrometheusRules rules = PrometheusRules.read(stack);
        List<String> expressions = new ArrayList<>(dashboardExpressions());
        expressions.addAll(rules.expressions());

        Set<String> used = matches(RECORDED_SERIES, expressions);

        assertThat(used).as("the dashboards use the recording rules").isNotEmpty();
        assertThat(rules.recorded()).doesNotHaveDuplicates().containsAll(used);
    }

    // ---- alert rules ---------------------------------------------------------------------------------

    @Test
    void prometheusLoadsTheRuleFilesComposeMounts() {
        List<String> patterns = strings(stack.prometheus().path("rule_files"));
        Path configDirectory = stack.prometheusConfig().getParent();
        assertThat(patterns).isNotEmpty().allSatisfy(pattern ->
                assertThat(Path.of(pattern).isAbsolute()).as("%s resolves next to prometheus.yml, here and in the container", pattern).isFalse());

        Set<Path> loaded = new TreeSet<>();
        for (String pattern : patterns) {
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + configDirectory.resolve(pattern));
            stack.prometheusRuleFiles().stream().filter(matcher::matches).forEach(loaded::add);
        }
        assertThat(loaded).as("rule files Prometheus loads").containsExactlyInAnyOrderElementsOf(stack.prometheusRuleFiles());

        Map<String, String> mounts = volumeMounts("prometheus");
        Path configInContainer = Path.of(mounts.get("../observability/prometheus/prometheus.yml"));
        String rulesInContainer = mounts.get("../observability/prometheus/rules");
        assertThat(rulesInContainer).as("compose mounts the rules directory").isNotNull();
        for (String pattern : patterns) {
            assertThat(configInContainer.getParent().resolve(pattern).getParent()).as(pattern)
                    .isEqualTo(Path.of(rulesInContainer));
        }
    }

    @Test
    void alertRulesAreValid() {
        ExternalTool promtool = promtool();
        List<String> arguments = new ArrayList<>(List.of("check", "rules"));
        stack.prometheusRuleFiles().forEach(file -> arguments.add(file.toString()));
        assertThat(arguments).hasSizeGreaterThan(2);

        ExternalTool.Result result = promtool.run(stack.root(), arguments.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains(PrometheusRules.read(stack).rules().size() + " rules found");
    }

    @Test
    void alertRuleUnitTestsPass() {
        ExternalTool promtool = promtool();
        List<String> arguments = new ArrayList<>(List.of("test", "rules"));
        stack.prometheusRuleTestFiles().forEach(file -> arguments.add(file.toString()));
        assertThat(arguments).hasSizeGreaterThan(2);

        ExternalTool.Result result = promtool.run(stack.root(), arguments.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).doesNotContain("FAILED");
    }

    @Test
    void everyAlertWaitsHasASeverityAndSaysWhatToRunNext() {
        List<PrometheusRules.Rule> alerts = PrometheusRules.read(stack).alerts();

        assertThat(alerts).isNotEmpty().allSatisfy(alert -> {
            assertThat(alert.forDuration()).as("%s waits before firing", alert.alert()).isNotBlank().isNotIn("0s", "0m");
            assertThat(alert.labels()).as(alert.alert()).containsKey("severity");
            assertThat(alert.labels().get("severity")).as(alert.alert()).isIn("critical", "warning", "info");
            assertThat(alert.annotations().get("summary")).as(alert.alert()).isNotBlank();
            assertThat(alert.annotations().get("description")).as("%s tells what to run next", alert.alert())
                    .isNotNull().containsPattern(RUN_NEXT);
        });
        assertThat(alerts.stream().map(PrometheusRules.Rule::alert)).doesNotHaveDuplicates();
    }

    @Test
    void everyAlertHasATestCaseThatFiresAndOneThatMustNot() {
        PrometheusRules rules = PrometheusRules.read(stack);
        Set<String> alerts = rules.alerts().stream().map(PrometheusRules.Rule::alert).collect(Collectors.toSet());

        for (String alert : alerts) {
            List<PrometheusRules.AlertCase> cases = rules.cases().stream().filter(c -> c.alertname().equals(alert)).toList();
            assertThat(cases).as("%s fires in a test, with its labels and annotations checked", alert)
                    .anySatisfy(c -> assertThat(c.fires() && c.checksLabelsAndAnnotations()).isTrue());
            assertThat(cases).as("%s has a test where it must not fire", alert).anySatisfy(c -> assertThat(c.fires()).isFalse());
        }
        assertThat(rules.cases()).as("tests name only existing alerts")
                .allSatisfy(c -> assertThat(alerts).as(c.test()).contains(c.alertname()));
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private ExternalTool promtool() {
        return ExternalTool.require(ExternalTool.find(List.of(List.of("promtool")), "--version"),
                "promtool", "DOCSTREAM_REQUIRE_PROMTOOL");
    }

    private Map<String, String> environment(String service) {
        JsonNode environment = services.path(service).path("environment");
        Map<String, String> variables = new LinkedHashMap<>();
        if (environment.isArray()) {
            for (String entry : strings(environment)) {
                int equals = entry.indexOf('=');
                variables.put(equals < 0 ? entry : entry.substring(0, equals), equals < 0 ? "" : entry.substring(equals + 1));
            }
        } else {
            environment.properties().forEach(variable -> variables.put(variable.getKey(), variable.getValue().asString()));
        }
        return variables;
    }

    /** Other services this one connects to: their names appear as host names in its environment. */
    private Set<String> referencedServices(String service) {
        Set<String> reached = new TreeSet<>();
        for (String value : environment(service).values()) {
            for (String other : services.propertyNames()) {
                Pattern host = Pattern.compile("(^|[/@])" + Pattern.quote(other) + "(:|$)");
                if (!other.equals(service) && host.matcher(value).find()) {
                    reached.add(other);
                }
            }
        }
        return reached;
    }

    /** Volume sources and targets of a service (short syntax {@code source:target[:mode]}). */
    private Map<String, String> volumeMounts(String service) {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (JsonNode volume : services.path(service).path("volumes")) {
            if (volume.isObject()) {
                mounts.put(volume.path("source").asString(), volume.path("target").asString());
            } else {
                String[] parts = volume.asString().split(":");
                mounts.put(parts[0], parts.length > 1 ? parts[1] : "");
            }
        }
        return mounts;
    }

    private Set<String> volumeSources(String service) {
        return volumeMounts(service).keySet();
    }

    private static boolean isNamedVolume(String source) {
        return !source.startsWith(".") && !source.startsWith("/") && !source.startsWith("~");
    }

    private static boolean scrapesTarget(JsonNode job, String host, int port) {
        boolean statically = stream(job.path("static_configs"))
                .flatMap(config -> strings(config.path("targets")).stream())
                .anyMatch(target -> target.equals(host + ":" + port));
        boolean throughDns = stream(job.path("dns_sd_configs"))
                .anyMatch(config -> strings(config.path("names")).contains(host) && config.path("port").asInt() == port);
        return statically || throughDns;
    }

    private List<JsonNode> provisioning(String kind) {
        try (Stream<Path> files = Files.list(stack.grafana().resolve("provisioning").resolve(kind))) {
            return files.filter(file -> file.toString().endsWith(".yml") || file.toString().endsWith(".yaml"))
                    .sorted().map(ComposeStack::yaml).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> dashboardFiles(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> dashboardExpressions() throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        List<String> expressions = new ArrayList<>();
        for (Path file : dashboardFiles(stack.grafana().resolve("dashboards"))) {
            collectExpressions(json.readTree(Files.readString(file)), expressions);
        }
        assertThat(expressions).isNotEmpty();
        return expressions;
    }

    private static void collectExpressions(JsonNode node, List<String> expressions) {
        if (node.isObject() && node.path("expr").isString()) {
            expressions.add(node.path("expr").asString());
        }
        for (JsonNode child : node.values()) {
            collectExpressions(child, expressions);
        }
    }

    private static void collectDatasourceUids(JsonNode node, List<String> uids) {
        if (node.isObject() && node.path("datasource").isObject()) {
            uids.add(node.path("datasource").path("uid").asString(""));
        }
        for (JsonNode child : node.values()) {
            collectDatasourceUids(child, uids);
        }
    }

    /** Meter names registered in the services' main code ({@code Counter.builder("docstream....")} and friends). */
    private Set<String> registeredMeters() throws IOException {
        Set<String> meters = new TreeSet<>();
        List<Path> sources = new ArrayList<>();
        for (String module : List.of("platform", "cache", "embedding", "search", "ingest", "indexer", "invalidator",
                "query-api")) {
            Path main = stack.root().resolve(module).resolve("src/main/java");
            try (Stream<Path> files = Files.walk(main)) {
                files.filter(file -> file.toString().endsWith(".java")).forEach(sources::add);
            }
        }
        Map<String, Set<String>> constants = new LinkedHashMap<>();
        Set<String> constantsUsed = new HashSet<>();
        for (Path source : sources) {
            String code = Files.readString(source);
            Matcher meter = METER_NAME.matcher(code);
            while (meter.find()) {
                meters.add(meter.group(1));
            }
            Matcher constant = NAME_CONSTANT.matcher(code);
            while (constant.find()) {
                constants.computeIfAbsent(constant.group(1), name -> new TreeSet<>()).add(constant.group(2));
            }
            Matcher usage = METER_CONSTANT.matcher(code);
            while (usage.find()) {
                constantsUsed.add(usage.group(1));
            }
        }
        constantsUsed.forEach(constant -> meters.addAll(constants.getOrDefault(constant, Set.of())));
        return meters;
    }

    /**
     * The Micrometer names that can be behind a Prometheus series: sample suffixes dropped, '_' as '.',
     * with and without a base-unit suffix ({@code docstream_consumer_lag_records} is either
     * {@code docstream.consumer.lag.records} or {@code docstream.consumer.lag} with base unit records).
     */
    static Set<String> meterNames(String series) {
        String name = series.replaceFirst("_(total|bucket|count|sum|max)$", "");
        Set<String> names = new TreeSet<>();
        names.add(name.replace('_', '.'));
        names.add(name.replaceFirst("_(seconds|records|bytes)$", "").replace('_', '.'));
        return names;
    }

    private static Set<String> matches(Pattern pattern, List<String> expressions) {
        Set<String> found = new TreeSet<>();
        for (String expression : expressions) {
            Matcher matcher = pattern.matcher(expression);
            while (matcher.find()) {
                found.add(matcher.group());
            }
        }
        return found;
    }

    private static List<String> strings(JsonNode array) {
        return stream(array).map(JsonNode::asString).toList();
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return array.values().stream();
    }
}
