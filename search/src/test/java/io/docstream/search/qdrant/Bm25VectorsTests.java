package io.docstream.search.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.qdrant.client.grpc.Points.SparseVector;
import org.junit.jupiter.api.Test;

class Bm25VectorsTests {

    /** murmur3_x86_32 with seed 0, unsigned; "hello" is the published test vector 0x248bfa47. */
    private static final long HELLO = 0x248bfa47L;
    private static final long KAFKA = 3678547742L;
    private static final long LOG = 1811268606L;

    @Test
    void hashesTermsWithMurmur3() {
        assertThat(Integer.toUnsignedLong(Bm25Vectors.termId("hello"))).isEqualTo(HELLO);
        assertThat(Integer.toUnsignedLong(Bm25Vectors.termId("kafka"))).isEqualTo(KAFKA);
        assertThat(Integer.toUnsignedLong(Bm25Vectors.termId("log"))).isEqualTo(LOG);
    }

    @Test
    void weighsChunkTextAndBoostedTitleTermsByBm25TermFrequency() {
        // body "Kafka kafka logs" -> [kafka, kafka, log], length 3; title "Kafka" -> [kafka], length 1
        SparseVector vector = Bm25Vectors.chunk("Kafka", "Kafka kafka logs");

        // log:   1 / (1 + 1.2 * (0.25 + 0.75 * 3 / 80))                        = 1 / 1.33375 = 0.7497657
        // kafka: 2 / (2 + 0.33375) + 2 * 1 / (1 + 1.2 * (0.25 + 0.75 * 1 / 4)) = 0.8569898 + 1.3114754 = 2.1684652
        assertThat(vector.getIndicesList()).extracting(Integer::toUnsignedLong).containsExactly(LOG, KAFKA);
        assertThat(vector.getValues(0)).isCloseTo(0.7497657f, within(1e-6f));
        assertThat(vector.getValues(1)).isCloseTo(2.1684652f, within(1e-6f));
    }

    @Test
    void givesLongerTextsLowerWeightsForTheSameFrequency() {
        SparseVector shortText = Bm25Vectors.chunk("", "Kafka");
        SparseVector longText = Bm25Vectors.chunk("", "Kafka brokers replicate partitions across racks");

        assertThat(weight(shortText, "kafka")).isGreaterThan(weight(longText, "kafka"));
        assertThat(weight(Bm25Vectors.wholeDocument("", "Kafka"), "kafka")).isGreaterThan(
                weight(Bm25Vectors.wholeDocument("", "Kafka brokers replicate partitions across racks"), "kafka"));
    }

    @Test
    void weighsAWholeDocumentAsOneFieldWithItsTitleFirst() {
        // "Kafka" + "Kafka kafka logs" -> [kafka, kafka, kafka, log], length 4 against an average of 256, b = 0.9
        SparseVector vector = Bm25Vectors.wholeDocument("Kafka", "Kafka kafka logs");

        // norm = 1.2 * (0.1 + 0.9 * 4 / 256) = 0.1368750
        // log:   1 / (1 + 0.136875) = 0.8796042;  kafka: 3 / (3 + 0.136875) = 0.9563658
        assertThat(vector.getIndicesList()).extracting(Integer::toUnsignedLong).containsExactly(LOG, KAFKA);
        assertThat(vector.getValues(0)).isCloseTo(0.8796042f, within(1e-5f));
        assertThat(vector.getValues(1)).isCloseTo(0.9563658f, within(1e-5f));
        assertThat(Bm25Vectors.wholeDocument("", "").getIndicesCount()).isZero();
    }

    private static float weight(SparseVector vector, String term) {
        return vector.getValues(vector.getIndicesList().indexOf(Bm25Vectors.termId(term)));
    }

    @Test
    void turnsAQueryIntoItsDistinctTermsWithWeightOne() {
        SparseVector query = Bm25Vectors.query("Kafka LOGS the kafka log").orElseThrow();

        assertThat(query.getIndicesList()).extracting(Integer::toUnsignedLong).containsExactly(LOG, KAFKA);
        assertThat(query.getValuesList()).containsExactly(1f, 1f);
    }

    @Test
    void findsNoTermsInStopWordsPunctuationOrQuerySyntax() {
        assertThat(Bm25Vectors.query("the and of")).isEmpty();
        assertThat(Bm25Vectors.query("*:* -()")).isEmpty();
        assertThat(Bm25Vectors.query("")).isEmpty();
        assertThat(Bm25Vectors.query(null)).isEmpty();
        assertThat(Bm25Vectors.query("+kafka AND (log)").orElseThrow().getIndicesList())
                .extracting(Integer::toUnsignedLong).contains(KAFKA, LOG);
    }

    @Test
    void capsQueriesAtTheLuceneTermLimit() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            text.append("term").append(i).append(' ');
        }

        assertThat(Bm25Vectors.query(text.toString()).orElseThrow().getIndicesCount())
                .isEqualTo(Bm25Vectors.MAX_QUERY_TERMS);
    }
}
