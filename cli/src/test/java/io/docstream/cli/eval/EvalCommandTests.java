package io.docstream.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.cli.DocstreamCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What {@code docstream eval} refuses before it starts anything. */
class EvalCommandTests {

    @Test
    void refusesIncompleteOrContradictoryOptionsWithOneLine() {
        assertRefused("give --dataset DIR, or all of --corpus, --queries and --qrels", "eval", "--corpus", "c.jsonl");
        assertRefused("unknown mode 'hybrid-borda'", "eval", "--dataset", "d", "--modes", "keyword,hybrid-borda");
        assertRefused("needs both --ingest-url and --query-url", "eval", "--dataset", "d", "--ingest-url",
                "http://localhost:1");
        assertRefused("sets docstream.embedding.model itself; use --model", "eval", "--dataset", "d", "--set",
                "docstream.embedding.model=other");
        assertRefused("no corpus.jsonl (or .gz)", "eval", "--dataset", "does-not-exist");
    }

    private static void assertRefused(String message, String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = DocstreamCli.commandLine().execute(args);
        } finally {
            System.setErr(originalErr);
        }
        assertThat(exit).isEqualTo(1);
        assertThat(captured.toString(StandardCharsets.UTF_8)).startsWith("eval failed: ").contains(message);
    }
}
