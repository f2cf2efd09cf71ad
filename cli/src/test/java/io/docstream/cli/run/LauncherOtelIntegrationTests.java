package io.docstream.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./docstream} launcher attaches the OpenTelemetry agent for {@code run --otel}. Runs the real
 * script from a copy of the repository layout that links the built cli jar, its libraries and the agent, so
 * the launcher sees nothing to rebuild; {@code --help} ends the JVM right after the agent has started.
 */
class LauncherOtelIntegrationTests {

    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
    /** What the agent logs first when it starts. */
    private static final String AGENT_BANNER = "[otel.javaagent";
    private static final Path TARGET = REPO.resolve("cli").resolve("target");

    @TempDir
    Path root;

    @BeforeEach
    void layOutRepository() throws IOException {
        Files.copy(REPO.resolve("docstream"), root.resolve("docstream"));
        root.resolve("docstream").toFile().setExecutable(true);
        Path target = Files.createDirectories(root.resolve("cli").resolve("target"));
        Files.createSymbolicLink(target.resolve("lib"), TARGET.resolve("lib"));
        Files.createSymbolicLink(target.resolve("docstream-cli.jar"), TARGET.resolve("docstream-cli.jar"));
    }

    @Test
    void attachesTheAgentForRunOtel() throws Exception {
        Files.createSymbolicLink(root.resolve("cli").resolve("target").resolve("agents"), TARGET.resolve("agents"));

        Result result = launch("run", "--otel", "--otel-endpoint", "http://127.0.0.1:4318", "--help");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains(AGENT_BANNER, "--otel-endpoint=URL");
    }

    @Test
    void withoutOtelTheJvmHasNoAgent() throws Exception {
        Result result = launch("run", "--help");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).doesNotContain(AGENT_BANNER).contains("--otel");
    }

    @Test
    void saysHowToBuildTheAgentWhenItIsMissing() throws Exception {
        Result result = launch("run", "--otel");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("opentelemetry-javaagent.jar", "mvnw");
    }

    private Result launch(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(root.resolve("docstream").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DOCSTREAM_DATA_DIR", root.resolve("data").toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // Only whether the agent starts matters here; instrumenting nothing keeps its start-up short.
        builder.environment().put("OTEL_INSTRUMENTATION_COMMON_DEFAULT_ENABLED", "false");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private record Result(int exitCode, String output) {
    }
}
