package io.docstream.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.cli.DocstreamCli;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AuditCommandTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void defaultsToTheEmbeddedQueryApiAndItsKeyFile() {
        AuditCommand audit = parse("audit");

        assertThat(audit.services.queryUrl()).isEqualTo("http://localhost:8080");
        assertThat(audit.services.apiKeyFile()).isEqualTo(audit.services.dataDir().resolve("api-key"));
        assertThat(audit.limit).isEqualTo(50);
        assertThat(audit.json).isFalse();
        assertThat(audit.filters()).isEmpty();
    }

    @Test
    void turnsOptionsIntoApiFiltersWithRelativeTimesCountedBackFromNow() {
        AuditCommand audit = new AuditCommand(Clock.fixed(Instant.parse("2026-11-02T12:00:00Z"), ZoneOffset.UTC));
        new CommandLine(audit).parseArgs("--actor", "key:abc", "--action", "replay", "--request-id", "r-9",
                "--since", "PT2H", "--until", "2026-11-02T11:30:00Z", "--limit", "700", "--json");

        assertThat(audit.filters()).containsExactly(
                java.util.Map.entry("actor", "key:abc"), java.util.Map.entry("action", "replay"),
                java.util.Map.entry("requestId", "r-9"), java.util.Map.entry("since", "2026-11-02T10:00:00Z"),
                java.util.Map.entry("until", "2026-11-02T11:30:00Z"));
        assertThat(audit.limit).isEqualTo(700);
        assertThat(audit.json).isTrue();
    }

    @Test
    void refusesTimesThatAreNeitherInstantsNorDurations() {
        AuditCommand audit = parse("audit", "--since", "yesterday");

        assertThatThrownBy(audit::filters).isInstanceOf(AuditCommand.AuditException.class)
                .hasMessageContaining("--since").hasMessageContaining("yesterday");
    }

    @Test
    void printsOneAlignedLineperEventUnderTheHeaders() {
        List<JsonNode> events = List.of(
                JSON.readTree("""
                        {"id": "1", "actor": "key:7c1d", "action": "document.upsert", "resource": "document:demo/a@5",
                         "outcome": "accepted", "requestId": "r-123", "traceId": null, "time": "2026-11-02T10:00:00Z"}
                        """),
                JSON.readTree("""
                        {"id": "2", "actor": "system:indexer", "action": "document.indexed",
                         "resource": "document:demo/a@5", "outcome": "succeeded", "requestId": null,
                         "traceId": null, "time": "2026-11-02T10:00:01Z"}
                        """));

        List<String> lines = AuditTable.render(events).lines().toList();

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("TIME").contains("ACTOR", "ACTION", "OUTCOME", "RESOURCE", "REQUEST");
        assertThat(lines.get(1)).contains("key:7c1d", "document.upsert", "accepted", "document:demo/a@5", "r-123");
        assertThat(lines.get(2)).contains("system:indexer", "document.indexed", "succeeded").endsWith("-");
        int actionColumn = lines.get(0).indexOf("ACTION");
        assertThat(lines.get(1).indexOf("document.upsert")).isEqualTo(actionColumn);
        assertThat(lines.get(2).indexOf("document.indexed")).isEqualTo(actionColumn);
    }

    @Test
    void isListedInTheHelp() {
        java.io.StringWriter out = new java.io.StringWriter();
        assertThat(DocstreamCli.commandLine().setOut(new java.io.PrintWriter(out)).execute("--help")).isZero();
        assertThat(out.toString()).contains("audit");
    }

    private static AuditCommand parse(String... args) {
        CommandLine.ParseResult parsed = DocstreamCli.commandLine().parseArgs(args);
        return (AuditCommand) parsed.subcommand().commandSpec().userObject();
    }
}
