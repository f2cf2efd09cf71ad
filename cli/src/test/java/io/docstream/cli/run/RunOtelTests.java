package io.docstream.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.cli.DocstreamCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code run --otel} in a JVM the launcher did not start with the agent: refused before anything starts. */
class RunOtelTests {

    @Test
    void refusesOtelWithoutTheAgentAndSaysHowToGetIt() {
        StringWriter err = new StringWriter();
        CommandLine cli = DocstreamCli.commandLine().setErr(new PrintWriter(err));

        assertThat(cli.execute("run", "--otel-endpoint", "http://127.0.0.1:4318")).isEqualTo(2);
        assertThat(err.toString()).contains("--otel", "./docstream", "-javaagent");
        assertThat(OtelAgent.attached()).isFalse();
        assertThat(OtelAgent.endpoint()).isEmpty();
    }
}
