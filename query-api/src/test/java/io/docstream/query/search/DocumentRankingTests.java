package io.docstream.query.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import io.docstream.search.DocumentHit;
import io.docstream.search.IndexHit;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentRankingTests {

    @Test
    void keepsTheBestChunkOfEachDocumentBestDocumentFirst() {
        List<IndexHit> hits = List.of(
                hit("a", 2, 0.91f, 1), hit("b", 0, 0.88f, 1), hit("a", 0, 0.85f, 1),
                hit("c", 1, 0.70f, 1), hit("b", 3, 0.95f, 1), hit("c", 0, 0.60f, 1));

        List<RankedDocument> documents = DocumentRanking.dense(hits, 0.05);

        assertThat(documents).extracting(RankedDocument::documentId).containsExactly("b", "a", "c");
        assertThat(documents).extracting(document -> document.chunk().chunkIndex()).containsExactly(3, 2, 1);
        assertThat(DocumentRanking.scored(documents)).as("one chunk: no length prior").extracting(ScoredId::score)
                .containsExactly((double) 0.95f, (double) 0.91f, (double) 0.70f);
    }

    @Test
    void weighsABestChunkAgainstTheLengthOfItsDocumentInStandardDeviations() {
        // A 100-chunk page's best chunk is a little closer than a one-chunk page's only chunk; the cosines of the
        // retrieved chunks spread 0.05 around their mean.
        List<IndexHit> hits = List.of(hit("long", 57, 0.60f, 100), hit("short", 0, 0.55f, 1),
                hit("long", 3, 0.50f, 100));

        List<RankedDocument> documents = DocumentRanking.dense(hits, 1.0);

        double spread = Math.sqrt((0.05 * 0.05 * 2) / 3);
        assertThat(DocumentRanking.spread(hits)).isCloseTo(spread, within(1e-6));
        assertThat(documents).extracting(RankedDocument::documentId).containsExactly("short", "long");
        assertThat(documents.get(1).score()).isCloseTo(0.60 - spread * Math.log(100), within(1e-6));
        assertThat(DocumentRanking.dense(hits, 0)).extracting(RankedDocument::documentId)
                .containsExactly("long", "short");
    }

    @Test
    void putsTheLengthPriorOnEachModelsScale() {
        // Cosines squeezed into half the range (as another model might give them): the prior halves with them, so
        // every document score is squeezed the same way and the ranking stays.
        List<IndexHit> wide = List.of(hit("long", 0, 0.60f, 20), hit("short", 0, 0.52f, 1), hit("x", 0, 0.20f, 1));
        List<IndexHit> narrow = wide.stream().map(hit -> hit(hit.documentId(), 0, 0.5f + hit.score() / 2,
                hit.documentChunks())).toList();

        List<RankedDocument> wideRanking = DocumentRanking.dense(wide, 0.5);
        List<RankedDocument> narrowRanking = DocumentRanking.dense(narrow, 0.5);

        assertThat(narrowRanking).extracting(RankedDocument::documentId)
                .containsExactlyElementsOf(wideRanking.stream().map(RankedDocument::documentId).toList());
        for (int i = 0; i < wideRanking.size(); i++) {
            assertThat(narrowRanking.get(i).score()).isCloseTo(0.5 + wideRanking.get(i).score() / 2, within(1e-6));
        }
    }

    @Test
    void ranksEqualScoresByTheDocumentWrittenFirstThenById() {
        List<RankedDocument> dense = DocumentRanking.dense(List.of(hit("x", 0, 1f, 2, 9), hit("y", 0, 1f, 2, 3),
                hit("x", 1, 1f, 2, 9), hit("w", 0, 1f, 2, 9)), 0.05);
        List<RankedDocument> keyword = DocumentRanking.keyword(List.of(new DocumentHit("x", 9, "X", 2f),
                new DocumentHit("w", 9, "W", 2f), new DocumentHit("y", 3, "Y", 2f), new DocumentHit("z", 1, "Z", 1f)));

        assertThat(dense).extracting(RankedDocument::documentId).containsExactly("y", "w", "x");
        assertThat(dense.get(2).chunk().chunkIndex()).as("the first of equal chunks").isZero();
        assertThat(keyword).extracting(RankedDocument::documentId).containsExactly("y", "w", "x", "z");
    }

    @Test
    void ranksKeywordDocumentsAsTheIndexDidWithoutAChunk() {
        List<RankedDocument> documents = DocumentRanking.keyword(List.of(new DocumentHit("b", 3, "B", 7.5f),
                new DocumentHit("a", 1, "A", 2.0f)));

        assertThat(documents).containsExactly(new RankedDocument("b", "B", 3, 7.5f, null),
                new RankedDocument("a", "A", 1, 2.0f, null));
        assertThat(DocumentRanking.ids(documents)).containsExactly("b", "a");
    }

    @Test
    void refusesANegativeLengthPenalty() {
        assertThatIllegalArgumentException().isThrownBy(() -> DocumentRanking.dense(List.of(), -0.1));
        assertThatIllegalArgumentException().isThrownBy(() -> DocumentRanking.dense(List.of(), Double.NaN));
    }

    private static IndexHit hit(String documentId, int chunkIndex, float score, int chunks) {
        return hit(documentId, chunkIndex, score, chunks, 1);
    }

    private static IndexHit hit(String documentId, int chunkIndex, float score, int chunks, long version) {
        return new IndexHit(documentId, chunkIndex, version, "Title " + documentId, "text", score, chunks);
    }
}
