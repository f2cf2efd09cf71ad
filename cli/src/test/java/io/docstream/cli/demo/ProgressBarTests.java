package io.docstream.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTests {

    @Test
    void fillsInProportionToProgress() {
        assertThat(ProgressBar.render(0, 60, "docs")).isEqualTo("[" + ".".repeat(30) + "] 0/60 docs");
        assertThat(ProgressBar.render(30, 60, "docs")).isEqualTo("[" + "#".repeat(15) + ".".repeat(15) + "] 30/60 docs");
        assertThat(ProgressBar.render(60, 60, "docs")).isEqualTo("[" + "#".repeat(30) + "] 60/60 docs");
    }

    @Test
    void redrawsOnlyWhenTheLineChangesAndEndsWithANewline() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), 2, "docs");
        bar.update(1);
        bar.update(1);
        bar.update(2);
        bar.finish();
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(output.chars().filter(c -> c == '\r').count()).isEqualTo(2);
        assertThat(output).endsWith("2/2 docs" + System.lineSeparator());
    }
}
