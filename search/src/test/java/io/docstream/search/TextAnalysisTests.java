package io.docstream.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextAnalysisTests {

    @Test
    void lowercasesStemsAndDropsStopWordsAndPossessives() {
        assertThat(TextAnalysis.terms("The Broker's partitions are REPLICATED to the followers"))
                .containsExactly("broker", "partit", "replic", "follow");
    }

    @Test
    void keepsRepeatedTermsForTermFrequencies() {
        assertThat(TextAnalysis.terms("search, searching and searches")).containsExactly("search", "search", "search");
    }

    @Test
    void ignoresQuerySyntaxAndBlankInput() {
        assertThat(TextAnalysis.terms("+kafka AND (x OR -y)* \\\\")).containsExactly("kafka", "x", "y");
        assertThat(TextAnalysis.terms("  ")).isEmpty();
        assertThat(TextAnalysis.terms(null)).isEmpty();
    }

    @Test
    void analysesIndexAndQueryTextAlike() {
        assertThat(TextAnalysis.analyzer()).isSameAs(TextAnalysis.analyzer());
        assertThat(TextAnalysis.terms("Running")).isEqualTo(TextAnalysis.terms("runs"));
    }
}
