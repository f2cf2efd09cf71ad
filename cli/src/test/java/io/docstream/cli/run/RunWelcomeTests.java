package io.docstream.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What {@code docstream run} prints once everything is up. */
class RunWelcomeTests {

    @Test
    void printsTheConsolesUrlBesideTheServices() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RunCommand.printWelcome(new PrintStream(bytes, true, StandardCharsets.UTF_8), RuntimeOptions.defaults(),
                "localhost:9092", 12.3);

        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("  console    http://localhost:8080/console ")
                .contains("  query-api  http://localhost:8080 ", "  ingest     http://localhost:8081 ");
    }
}
