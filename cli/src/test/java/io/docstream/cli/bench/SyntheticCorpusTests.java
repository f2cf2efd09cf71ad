package io.docstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.cli.bench.BenchServices.Doc;
import io.docstream.search.chunking.Chunk;
import io.docstream.search.chunking.Chunker;
import io.docstream.embedding.TokenCounter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class SyntheticCorpusTests {

    private final SyntheticCorpus corpus = SyntheticCorpus.load(JsonMapper.builder().build());

    @Test
    void theSameSeedAndNonceGiveTheSameDocumentsOfAboutAHundredAndFiftyWords() {
        List<Doc> documents = corpus.documents("bench-", 20, "n1", 7);

        assertThat(documents).isEqualTo(corpus.documents("bench-", 20, "n1", 7));
        assertThat(documents).extracting(Doc::id).startsWith("bench-0", "bench-1").doesNotHaveDuplicates();
        assertThat(documents).allSatisfy(doc -> assertThat(doc.body().split("\\s+").length).isBetween(140, 260));
    }

    @Test
    void everyChunkCarriesTheNonceSoNoRunReusesAnotherRunsEmbeddings() {
        // chunks smaller than the services' 200 tokens, so that documents have several, yet larger than any
        // sentence of the corpus (a sentence cut in pieces would leave pieces without the nonce)
        Chunker chunker = new Chunker(100, 16, TokenCounter.approximate());
        for (Doc doc : corpus.documents("bench-", 10, "nonce42", 1)) {
            List<Chunk> chunks = chunker.chunk(doc.title() + "\n" + doc.body());
            assertThat(chunks).hasSizeGreaterThan(1)
                    .allSatisfy(chunk -> assertThat(chunk.text()).contains("nonce42"));
        }
        assertThat(corpus.documents("bench-", 5, "a", 1)).extracting(Doc::body)
                .doesNotContainAnyElementsOf(corpus.documents("bench-", 5, "b", 1).stream().map(Doc::body).toList());
    }

    @Test
    void queriesAreDistinctFragmentsOfTheCorpus() {
        List<String> queries = corpus.queries(new Random(3), 50);

        assertThat(queries).hasSize(50).doesNotHaveDuplicates()
                .allSatisfy(query -> assertThat(query.split(" ").length).isBetween(3, 6));
    }
}
