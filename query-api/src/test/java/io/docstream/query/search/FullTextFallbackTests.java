package io.docstream.query.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FullTextFallbackTests {

    @Test
    void letsAnyWordMatchAndDropsPhraseAndExclusionSyntax() {
        assertThat(FullTextFallback.anyWord("zephyrine  hybrid")).isEqualTo("zephyrine or hybrid");
        assertThat(FullTextFallback.anyWord("\"exact phrase\" -excluded OR x")).isEqualTo("exact or phrase or excluded or x");
        assertThat(FullTextFallback.anyWord("  ")).isEmpty();
    }
}
