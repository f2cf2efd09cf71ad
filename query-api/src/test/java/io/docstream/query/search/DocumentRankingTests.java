package io.docstream.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.core.index.IndexHit;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentRankingTests {

    @Test
    void keepsTheBestChunkOfEachDocumentBestDocumentFirst() {
        List<IndexHit> hits = List.of(
                hit("a", 2, 0.91f), hit("b", 0, 0.88f), hit("a", 0, 0.85f),
                hit("c", 1, 0.70f), hit("b", 3, 0.95f), hit("c", 0, 0.60f));

        List<IndexHit> documents = DocumentRanking.collapse(hits);

        assertThat(documents).extracting(IndexHit::documentId).containsExactly("b", "a", "c");
        assertThat(documents).extracting(IndexHit::chunkIndex).containsExactly(3, 2, 1);
        assertThat(DocumentRanking.scoredDocuments(hits))
                .containsExactly(new ScoredId("b", 0.95f), new ScoredId("a", 0.91f), new ScoredId("c", 0.70f));
    }

    @Test
    void keepsFirstSeenOrderForEqualScores() {
        List<IndexHit> documents = DocumentRanking.collapse(List.of(hit("x", 0, 1f), hit("y", 0, 1f), hit("x", 1, 1f)));

        assertThat(documents).extracting(IndexHit::documentId).containsExactly("x", "y");
        assertThat(documents.getFirst().chunkIndex()).isZero();
    }

    private static IndexHit hit(String documentId, int chunkIndex, float score) {
        return new IndexHit(documentId, chunkIndex, 1, "Title " + documentId, "text", score);
    }
}
