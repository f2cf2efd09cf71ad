package io.docstream.cli.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.cli.DocstreamCli;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;
import tools.jackson.databind.json.JsonMapper;

class KeysCommandTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void createTakesANameAndCommaSeparatedScopesAndInheritsTheConnectionOptions() {
        ParseResult parsed = DocstreamCli.commandLine().parseArgs("keys", "--query-url", "http://q:9", "create",
                "--name", "ci", "--scopes", "ingest,search", "--api-key-file", "/tmp/admin-key");
        KeysCommand.Create create = (KeysCommand.Create) parsed.subcommand().subcommand().commandSpec().userObject();
        KeysCommand keys = (KeysCommand) parsed.subcommand().commandSpec().userObject();

        assertThat(create.name).isEqualTo("ci");
        assertThat(create.scopes).containsExactly("ingest", "search");
        assertThat(keys.services.queryUrl()).isEqualTo("http://q:9");
        assertThat(keys.services.apiKeyFile()).isEqualTo(Path.of("/tmp/admin-key"));
    }

    @Test
    void theKeyFileDefaultsToTheOneDocstreamRunWrites() {
        ParseResult parsed = DocstreamCli.commandLine().parseArgs("keys", "list");
        KeysCommand keys = (KeysCommand) parsed.subcommand().commandSpec().userObject();

        assertThat(keys.services.apiKeyFile()).isEqualTo(keys.services.dataDir().resolve("api-key"));
        assertThat(keys.services.queryUrl()).isEqualTo("http://localhost:8080");
    }

    @Test
    void theTableShowsEveryKeyWithoutItsSecretAndKeepsControlCharactersOutOfTheTerminal() {
        String table = KeysTable.render(List.of(
                JSON.readTree("""
                        {"id": "7d0b3b8e-4f4e-4b7a-9c59-2f0f6f0a1b2c", "name": "ci\\u001b[2J", "prefix": "ds_abcdefgh",
                         "scopes": ["ingest", "search"], "createdAt": "2026-12-02T10:00:00Z", "revokedAt": null}"""),
                JSON.readTree("""
                        {"id": "0a6f6d8e-1111-4b7a-9c59-2f0f6f0a1b2c", "name": "old", "prefix": "ds_zyxwvuts",
                         "scopes": ["admin"], "createdAt": "2026-12-01T10:00:00Z",
                         "revokedAt": "2026-12-02T11:00:00Z"}""")));

        assertThat(table.lines().toList()).hasSize(3);
        assertThat(table.lines().findFirst().orElseThrow()).startsWith("ID").contains("NAME", "PREFIX", "SCOPES",
                "CREATED", "REVOKED");
        assertThat(table).contains("ds_abcdefgh...", "ingest,search", "ci?[2J", "2026-12-02T11:00:00Z")
                .doesNotContain("\u001b");
        assertThat(table.lines().toList().get(1)).endsWith("-");
    }
}
