package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.cli.bench.BenchCommand;
import io.docstream.cli.demo.DemoCommand;
import io.docstream.cli.run.RunCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class DocstreamCliTests {

    @Test
    void helpListsTheRunDemoAndBenchCommands() {
        StringWriter out = new StringWriter();
        CommandLine cli = DocstreamCli.commandLine().setOut(new PrintWriter(out));
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("run", "demo", "bench", "Usage: docstream");
    }

    @Test
    void benchCacheDefaultsToTheEmbeddedRuntimesAddresses() {
        ParseResult parsed = DocstreamCli.commandLine().parseArgs("bench", "cache");
        BenchCommand bench = (BenchCommand) parsed.subcommand().commandSpec().userObject();
        ServiceOptions services = (ServiceOptions) parsed.subcommand().commandSpec().mixins().get("services")
                .userObject();
        assertThat(bench).extracting("scenario", "duration")
                .containsExactly(BenchCommand.Scenario.cache, Duration.ofSeconds(30));
        assertThat(services).extracting(ServiceOptions::queryUrl, ServiceOptions::ingestUrl, ServiceOptions::redisUri)
                .containsExactly("http://localhost:8080", "http://localhost:8081", URI.create("redis://localhost:6380"));
    }

    @Test
    void benchRejectsAnUnknownScenario() {
        StringWriter err = new StringWriter();
        CommandLine cli = DocstreamCli.commandLine().setErr(new PrintWriter(err));
        assertThat(cli.execute("bench", "throughput")).isEqualTo(2);
        assertThat(err.toString()).contains("throughput", "cache");
    }

    @Test
    void runDefaultsToTheDocumentedPorts() {
        ParseResult parsed = DocstreamCli.commandLine().parseArgs("run");
        RunCommand run = (RunCommand) parsed.subcommand().commandSpec().userObject();
        assertThat(run).extracting("kafkaPort", "postgresPort", "redisPort", "queryPort", "ingestPort", "model")
                .containsExactly(9092, 54329, 6380, 8080, 8081, "all-minilm-l6-v2-q");
    }

    @Test
    void runTakesPortsModelAndDataDirFromOptions() {
        ParseResult parsed = DocstreamCli.commandLine().parseArgs("run", "--data-dir", "/tmp/ds", "--kafka-port", "19092",
                "--query-port", "18080", "--model", "bge-small-en-v1.5-q");
        RunCommand run = (RunCommand) parsed.subcommand().commandSpec().userObject();
        assertThat(run).extracting("dataDir", "kafkaPort", "queryPort", "model")
                .containsExactly(Path.of("/tmp/ds"), 19092, 18080, "bge-small-en-v1.5-q");
    }

    @Test
    void demoTakesServiceUrlsAndTimeout() {
        ParseResult parsed = DocstreamCli.commandLine().parseArgs("demo", "--ingest-url", "http://host:1",
                "--query-url", "http://host:2", "--timeout", "PT30S");
        DemoCommand demo = (DemoCommand) parsed.subcommand().commandSpec().userObject();
        ServiceOptions services = (ServiceOptions) parsed.subcommand().commandSpec().mixins().get("services")
                .userObject();
        assertThat(demo).extracting("timeout").isEqualTo(Duration.ofSeconds(30));
        assertThat(services).extracting(ServiceOptions::ingestUrl, ServiceOptions::queryUrl)
                .containsExactly("http://host:1", "http://host:2");
    }

    @Test
    void runRejectsAnUnknownModelBeforeStartingAnything() {
        StringWriter err = new StringWriter();
        CommandLine cli = DocstreamCli.commandLine().setErr(new PrintWriter(err));
        assertThat(cli.execute("run", "--model", "gpt-17")).isEqualTo(2);
        assertThat(err.toString()).contains("gpt-17", "all-minilm-l6-v2-q");
    }

    @Test
    void rejectsAnUnknownCommandWithAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = DocstreamCli.commandLine().setErr(new PrintWriter(err));
        assertThat(cli.execute("frobnicate")).isEqualTo(2);
        assertThat(err.toString()).contains("frobnicate");
    }
}
