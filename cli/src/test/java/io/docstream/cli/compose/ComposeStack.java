package io.docstream.cli.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The files that make up the production-shaped stack, read from the repository the tests run in:
 * the compose file, the Dockerfile, the Prometheus configuration, rules and rule tests, and the Grafana
 * provisioning.
 */
final class ComposeStack {

    /** The docstream services and the port each serves HTTP and actuator on. */
    static final Map<String, Integer> APP_PORTS = Map.of(
            "ingest", 8081, "indexer", 8082, "invalidator", 8083, "query-api", 8080);

    static final List<String> INFRASTRUCTURE = List.of(
            "kafka", "postgres", "redis", "qdrant", "jaeger", "prometheus", "grafana");

    static final List<String> SECRETS = List.of(
            "postgres_password", "redis_password", "qdrant_api_key", "grafana_admin_password", "api_key");

    private static final Pattern FROM_AS = Pattern.compile("(?im)^FROM\\s+(?:--\\S+\\s+)*(\\S+)\\s+AS\\s+(\\S+)\\s*$");

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private final Path root;

    private ComposeStack(Path root) {
        this.root = root;
    }

    /** The repository holding cli/, found from the working directory (the cli module under Maven). */
    static ComposeStack locate() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("compose/docker-compose.yml")) && Files.isDirectory(dir.resolve("cli"))) {
                return new ComposeStack(dir);
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no compose/docker-compose.yml above " + Path.of("").toAbsolutePath());
    }

    Path root() {
        return root;
    }

    Path composeDirectory() {
        return root.resolve("compose");
    }

    Path composeFile() {
        return composeDirectory().resolve("docker-compose.yml");
    }

    Path prometheusConfig() {
        return root.resolve("observability/prometheus/prometheus.yml");
    }

    /** The Prometheus rule files, {@code observability/prometheus/rules/*.yml}. */
    List<Path> prometheusRuleFiles() {
        return yamlFiles(root.resolve("observability/prometheus/rules"));
    }

    /** The {@code promtool test rules} files, {@code observability/prometheus/tests/*.yml}. */
    List<Path> prometheusRuleTestFiles() {
        return yamlFiles(root.resolve("observability/prometheus/tests"));
    }

    Path grafana() {
        return root.resolve("observability/grafana");
    }

    JsonNode compose() {
        return yaml(composeFile());
    }

    JsonNode prometheus() {
        return yaml(prometheusConfig());
    }

    /** The Dockerfile's named stages, name to base image. */
    Map<String, String> dockerfileStages() {
        Map<String, String> stages = new LinkedHashMap<>();
        Matcher matcher = FROM_AS.matcher(read(root.resolve("Dockerfile")));
        while (matcher.find()) {
            stages.put(matcher.group(2), matcher.group(1));
        }
        return stages;
    }

    private static List<Path> yamlFiles(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode yaml(Path file) {
        return YAML.readTree(read(file));
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
