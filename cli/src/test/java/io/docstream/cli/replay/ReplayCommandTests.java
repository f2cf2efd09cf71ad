package io.docstream.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.cli.DocstreamCli;
import io.docstream.cli.replay.ReplayCommand.ReplayException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.json.JsonMapper;

class ReplayCommandTests {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void sendsEarliestATimeOrOffsetsWithTheTenantAndStopFlag() {
        assertThat(body("--from", "earliest", "--tenant", "acme", "--stop-indexer"))
                .isEqualTo("{\"from\":\"earliest\",\"tenant\":\"acme\",\"stopIndexer\":true}");
        assertThat(body("--from", "2026-11-02T09:00:00Z"))
                .isEqualTo("{\"from\":\"2026-11-02T09:00:00Z\",\"stopIndexer\":false}");
        assertThat(body("--offsets", "0=12, 1=40"))
                .isEqualTo("{\"from\":{\"offsets\":{\"0\":12,\"1\":40}},\"stopIndexer\":false}");
    }

    @Test
    void needsExactlyOneStartAndWellFormedOffsets() {
        assertThatThrownBy(() -> body()).isInstanceOf(ReplayException.class);
        assertThatThrownBy(() -> body("--from", "earliest", "--offsets", "0=1")).isInstanceOf(ReplayException.class);
        assertThatThrownBy(() -> body("--offsets", "0:12")).isInstanceOf(ReplayException.class)
                .hasMessageContaining("0:12");
    }

    @Test
    void showsProgressAsRecordsRateLagAndEta() {
        assertThat(ReplayCommand.progressLine(json.readTree(
                "{\"records\":1234,\"total\":5000,\"docsPerSecond\":310.24,\"lag\":3766,\"etaSeconds\":13}")))
                .isEqualTo("1,234/5,000 records  310.2 docs/s  lag 3,766  ETA 13 s");
        assertThat(ReplayCommand.progressLine(json.readTree("{\"records\":0,\"total\":5,\"docsPerSecond\":0,\"lag\":5}")))
                .endsWith("ETA -");
    }

    private String body(String... args) {
        CommandLine line = DocstreamCli.commandLine();
        CommandLine.ParseResult parsed = line.parseArgs(prepend("replay", args));
        ReplayCommand command = (ReplayCommand) parsed.subcommand().commandSpec().userObject();
        return json.writeValueAsString(command.body(json));
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
