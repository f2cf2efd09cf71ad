package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/** Every command that talks to the services takes the same endpoint and key options, wherever they are given. */
class ServiceOptionsTests {

    static final List<String> OPTIONS = List.of("--data-dir", "--api-key-file", "--query-url", "--ingest-url",
            "--indexer-url", "--invalidator-url", "--redis-uri");

    /** Commands that start things or only print help, rather than call a running docstream. */
    private static final List<String> NOT_CLIENTS = List.of("docstream run", "docstream help");

    /** Each client command with what it needs to parse, so the service options can be added to it. */
    static Stream<List<String>> clientCommands() {
        return Stream.of(
                List.of("demo"),
                List.of("bench", "cache"),
                List.of("eval"),
                List.of("audit"),
                List.of("queries", "top"),
                List.of("status"),
                List.of("replay", "--from", "earliest"),
                List.of("keys", "create", "--name", "ci", "--scopes", "search"),
                List.of("keys", "list"),
                List.of("keys", "revoke", "some-id"),
                List.of("tenants", "create", "acme"),
                List.of("tenants", "list"),
                List.of("tenants", "disable", "acme"),
                List.of("tenants", "enable", "acme"),
                List.of("dlq", "list"),
                List.of("dlq", "show", "0-1"),
                List.of("dlq", "redrive", "--all"),
                List.of("dlq", "purge"),
                List.of("dlq", "stats"),
                List.of("reindex", "start"),
                List.of("reindex", "status"),
                List.of("reindex", "switch"),
                List.of("reindex", "rollback"),
                List.of("reindex", "finish"));
    }

    @Test
    void everyClientCommandDeclaresTheServiceOptionsWithTheSameDefaultsAndHelp() {
        CommandSpec reference = CommandSpec.forAnnotatedObject(new ServiceOptions());
        List<String> checked = new ArrayList<>();
        for (CommandLine command : leaves(DocstreamCli.commandLine())) {
            String name = command.getCommandSpec().qualifiedName();
            if (NOT_CLIENTS.contains(name)) {
                continue;
            }
            for (String option : OPTIONS) {
                OptionSpec declared = command.getCommandSpec().findOption(option);
                OptionSpec expected = reference.findOption(option);
                assertThat(declared).as(name + " " + option).isNotNull();
                assertThat(declared.defaultValue()).as(name + " " + option).isEqualTo(expected.defaultValue());
                assertThat(declared.description()).as(name + " " + option).isEqualTo(expected.description());
                assertThat(declared.paramLabel()).as(name + " " + option).isEqualTo(expected.paramLabel());
            }
            checked.add(name);
        }
        assertThat(checked).as("the client commands found, so none is left out by its listing below")
                .containsExactlyInAnyOrderElementsOf(clientCommands()
                        .map(args -> "docstream " + String.join(" ", args.subList(0, isGroup(args.get(0)) ? 2 : 1)))
                        .distinct().toList());
    }

    @ParameterizedTest
    @MethodSource("clientCommands")
    void theGivenValuesReachTheCommand(List<String> command) {
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of("--data-dir", "/srv/ds", "--api-key-file", "/keys/admin", "--query-url", "http://q:1/",
                "--ingest-url", "http://i:2", "--indexer-url", "http://x:3", "--invalidator-url", "http://v:4",
                "--redis-uri", "redis://r:5"));

        ServiceOptions services = servicesOf(DocstreamCli.commandLine().parseArgs(args.toArray(String[]::new)));

        assertThat(services.dataDir()).isEqualTo(Path.of("/srv/ds"));
        assertThat(services.apiKeyFile()).isEqualTo(Path.of("/keys/admin"));
        assertThat(services.queryUrl()).as("a trailing slash is dropped").isEqualTo("http://q:1");
        assertThat(services.ingestUrl()).isEqualTo("http://i:2");
        assertThat(services.indexerUrl()).isEqualTo("http://x:3");
        assertThat(services.invalidatorUrl()).isEqualTo("http://v:4");
        assertThat(services.redisUri()).isEqualTo(URI.create("redis://r:5"));
    }

    @Test
    void aGroupCommandTakesThemBeforeItsSubcommandToo() {
        for (List<String> command : List.of(List.of("keys", "list"), List.of("dlq", "stats"),
                List.of("reindex", "status"))) {
            ServiceOptions services = servicesOf(DocstreamCli.commandLine().parseArgs(command.get(0), "--data-dir",
                    "/srv/ds", "--indexer-url", "http://x:3", command.get(1)));

            assertThat(services.dataDir()).as(command.toString()).isEqualTo(Path.of("/srv/ds"));
            assertThat(services.indexerUrl()).as(command.toString()).isEqualTo("http://x:3");
        }
    }

    @Test
    void theKeyDefaultsToTheOneInTheDataDirectory() {
        ServiceOptions services = servicesOf(DocstreamCli.commandLine().parseArgs("status", "--data-dir", "/srv/ds"));

        assertThat(services.apiKeyFile()).isEqualTo(Path.of("/srv/ds/api-key"));
        assertThat(services.queryUrl()).isEqualTo("http://localhost:8080");
        assertThat(services.ingestUrl()).isEqualTo("http://localhost:8081");
        assertThat(services.indexerUrl()).isEqualTo("http://localhost:8082");
        assertThat(services.invalidatorUrl()).isEqualTo("http://localhost:8083");
        assertThat(services.redisUri()).isEqualTo(URI.create("redis://localhost:6380"));
    }

    @Test
    void readsTheKeyAndNamesBothOptionsWhenItIsMissing(@TempDir Path dataDir) throws IOException {
        ServiceOptions services = servicesOf(DocstreamCli.commandLine().parseArgs("status", "--data-dir",
                dataDir.toString()));

        assertThatThrownBy(() -> services.apiKey(CommandFailure::new)).isInstanceOf(CommandFailure.class)
                .hasMessageContaining(dataDir.resolve("api-key").toString())
                .hasMessageContaining("--data-dir or --api-key-file");
        Files.writeString(dataDir.resolve("api-key"), "\n");
        assertThatThrownBy(() -> services.apiKey(CommandFailure::new)).hasMessageEndingWith("is empty");
        Files.writeString(dataDir.resolve("api-key"), "  ds_secret\n");
        assertThat(services.apiKey(CommandFailure::new)).isEqualTo("ds_secret");
    }

    @Test
    void tellsAnOptionTheUserGaveFromOneLeftAtItsDefault() {
        ServiceOptions services = servicesOf(DocstreamCli.commandLine().parseArgs("eval", "--ingest-url",
                "http://localhost:8081"));

        assertThat(services.given("--ingest-url")).as("given, even with the default value").isTrue();
        assertThat(services.given("--query-url")).isFalse();
        assertThat(services.queryUrl()).isEqualTo("http://localhost:8080");
    }

    private static boolean isGroup(String command) {
        return List.of("keys", "tenants", "dlq", "reindex").contains(command);
    }

    /** The service options of the parsed leaf command: its own, or those of the group it belongs to. */
    private static ServiceOptions servicesOf(ParseResult parsed) {
        List<ParseResult> path = new ArrayList<>();
        for (ParseResult result = parsed; result != null; result = result.subcommand()) {
            path.add(result);
        }
        for (ParseResult result : path.reversed()) {
            CommandSpec mixin = result.commandSpec().mixins().get("services");
            if (mixin != null) {
                return (ServiceOptions) mixin.userObject();
            }
        }
        throw new AssertionError("no service options on " + path.getLast().commandSpec().qualifiedName());
    }

    private static List<CommandLine> leaves(CommandLine command) {
        Map<String, CommandLine> subcommands = command.getSubcommands();
        if (subcommands.isEmpty()) {
            return List.of(command);
        }
        return subcommands.values().stream().distinct().flatMap(sub -> leaves(sub).stream()).toList();
    }
}
