package io.docstream.cli.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.cli.DocstreamCli;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;
import tools.jackson.databind.json.JsonMapper;

class TenantsCommandTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void everySubcommandTakesTheTenantIdAndInheritsTheConnectionOptions() {
        for (String action : List.of("create", "disable", "enable")) {
            ParseResult parsed = DocstreamCli.commandLine().parseArgs("tenants", "--query-url", "http://q:9", action,
                    "globex", "--api-key-file", "/tmp/operator-key", "--json");
            TenantsCommand tenants = (TenantsCommand) parsed.subcommand().commandSpec().userObject();

            assertThat(parsed.subcommand().subcommand().matchedPositional(0).getValue().toString())
                    .isEqualTo("globex");
            assertThat(tenants.services.queryUrl()).isEqualTo("http://q:9");
            assertThat(tenants.services.apiKeyFile()).isEqualTo(Path.of("/tmp/operator-key"));
            assertThat(tenants.json).isTrue();
        }
    }

    @Test
    void listUsesTheKeyDocstreamRunWrites() {
        ParseResult parsed = DocstreamCli.commandLine().parseArgs("tenants", "list");
        TenantsCommand tenants = (TenantsCommand) parsed.subcommand().commandSpec().userObject();

        assertThat(tenants.services.apiKeyFile()).isEqualTo(tenants.services.dataDir().resolve("api-key"));
        assertThat(tenants.services.queryUrl()).isEqualTo("http://localhost:8080");
    }

    @Test
    void theTableShowsEachTenantsState() {
        String table = TenantsTable.render(List.of(
                JSON.readTree("""
                        {"id": "demo", "createdAt": "2026-12-01T10:00:00Z", "disabled": false, "disabledAt": null}"""),
                JSON.readTree("""
                        {"id": "globex", "createdAt": "2026-12-02T10:00:00Z", "disabled": true,
                         "disabledAt": "2026-12-03T10:00:00Z"}""")));

        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.getFirst()).startsWith("TENANT").contains("CREATED", "STATE", "DISABLED");
        assertThat(lines.get(1)).startsWith("demo").contains("enabled").endsWith("-");
        assertThat(lines.get(2)).startsWith("globex").contains("disabled", "2026-12-03T10:00:00Z");
    }
}
