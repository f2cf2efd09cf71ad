package io.docstream.query.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SnippetsTests {

    @Test
    void shortTextsAreShownWholeWithWhitespaceCollapsed() {
        assertThat(Snippets.of("  Kafka\n\nstreams   records ", "", "kafka")).isEqualTo("Kafka streams records");
    }

    @Test
    void longTextsAreCutAtWordBoundariesAroundTheFirstMatch() {
        String text = "alpha beta gamma ".repeat(20) + "the glacier moraine is here " + "delta epsilon ".repeat(30);

        String snippet = Snippets.of(text, "", "glacier");

        assertThat(snippet).contains("glacier").startsWith("…").endsWith("…");
        assertThat(snippet.length()).isLessThanOrEqualTo(Snippets.MAX_LENGTH);
        String inner = snippet.substring(1, snippet.length() - 1);
        assertThat(text).contains(inner);
        assertThat(inner).doesNotStartWith(" ").doesNotEndWith(" ");
        assertThat(text.indexOf(inner) == 0 || text.charAt(text.indexOf(inner) - 1) == ' ').isTrue();
    }

    @Test
    void textsWithoutAMatchStartAtTheBeginning() {
        String text = "word ".repeat(100);

        assertThat(Snippets.of(text, "", "absent")).startsWith("word").endsWith("…");
    }

    @Test
    void leavesOutTheTitleTheFirstChunkOpensWith() {
        assertThat(Snippets.of("Pulling a ristretto\nA ristretto uses half the water.", "Pulling a ristretto", "water"))
                .isEqualTo("A ristretto uses half the water.");
        assertThat(Snippets.of("Pulling a ristretto", "Pulling a ristretto", "ristretto"))
                .isEqualTo("Pulling a ristretto");
    }
}
