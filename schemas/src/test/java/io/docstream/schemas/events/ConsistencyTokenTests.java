package io.docstream.schemas.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsistencyTokenTests {

    @Test
    void aTokenIsTheDocumentIdAndVersionAndReadsBack() {
        ConsistencyToken token = new ConsistencyToken("handbook-7.v2:en", 1765105200000123L);

        assertThat(token).hasToString("handbook-7.v2:en@1765105200000123");
        assertThat(ConsistencyToken.parse(token.toString())).isEqualTo(token);
    }

    @Test
    void tokensComeFromRepeatedAndCommaSeparatedValues() {
        assertThat(ConsistencyToken.parseAll(List.of("a@1, b@2", "c@3", " ")))
                .containsExactly(new ConsistencyToken("a", 1), new ConsistencyToken("b", 2),
                        new ConsistencyToken("c", 3));
    }

    @Test
    void anythingElseIsRefusedWithTheValueNamed() {
        for (String bad : List.of("doc", "doc@", "@1", "doc@x", "doc@0", "doc@-3", "bad id@1", "doc@1@2")) {
            assertThatThrownBy(() -> ConsistencyToken.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
        }
        assertThatThrownBy(() -> ConsistencyToken.parseAll(Collections.nCopies(101, "a@1")))
                .hasMessageContaining("at most 100");
    }
}
