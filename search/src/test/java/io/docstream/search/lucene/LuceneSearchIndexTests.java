package io.docstream.search.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.docstream.search.chunking.Chunker;
import io.docstream.search.DocumentHit;
import io.docstream.search.IndexHit;
import io.docstream.search.IndexWrite;
import io.docstream.search.IndexedChunk;
import io.docstream.search.SearchIndex;
import io.docstream.search.SearchIndexContractTests;
import io.docstream.search.TextAnalysis;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneSearchIndexTests extends SearchIndexContractTests {

    @TempDir
    Path tempDir;

    @Override
    protected SearchIndex createIndex() {
        return new LuceneSearchIndex(tempDir.resolve(UUID.randomUUID().toString()));
    }

    @Test
    void aSecondWriterOfTheSameIndexIsRefusedWithWhatToDoInstead() {
        Path path = tempDir.resolve(UUID.randomUUID().toString());
        try (SearchIndex first = new LuceneSearchIndex(path)) {
            assertThatThrownBy(() -> new LuceneSearchIndex(path))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already writes the Lucene index in")
                    .hasMessageContaining("exactly one writer")
                    .hasMessageContaining("docstream.index.type=qdrant");
        }
        try (SearchIndex afterTheFirstStopped = new LuceneSearchIndex(path)) {
            assertThat(afterTheFirstStopped).isNotNull();
        }
    }

    @Test
    void keepsDocumentsVersionsAndModelAcrossAReopen() {
        Path path = tempDir.resolve("persistent");
        try (SearchIndex first = new LuceneSearchIndex(path)) {
            first.write(corpus(TENANT, 3));
            first.write(List.of(new IndexWrite.Remove(TENANT, "bread", 4)));
        }

        try (LuceneSearchIndex reopened = new LuceneSearchIndex(path)) {
            assertThat(reopened.modelId()).isEqualTo("all-minilm-l6-v2-q");
            assertThat(reopened.countDocuments(TENANT)).isEqualTo(3);
            assertThat(reopened.searchKeyword(query(5), "partitions")).extracting(DocumentHit::documentId)
                    .containsOnly("kafka");
            assertThat(reopened.searchDense(query(1), vector(KAFKA_TEXT[1]))).singleElement()
                    .satisfies(hit -> assertThat(hit.documentId()).isEqualTo("kafka"));
            assertThat(reopened.write(List.of(replace(TENANT, "kafka", 2, "Old", Map.of(), "Old text."),
                    replace(TENANT, "bread", 3, "Old", Map.of(), "Old bread.")))).containsExactly(TENANT + "/kafka",
                            TENANT + "/bread");
            IndexWrite otherModel = new IndexWrite.Replace(TENANT, "x", 1, "X", "x", Map.of(), "bge-small-en-v1.5-q",
                    List.of(new IndexedChunk(0, "x", Chunker.hash("x"), direction(0))));
            assertThatIllegalStateException().isThrownBy(() -> reopened.write(List.of(otherModel)));
        }
    }

    @Test
    void findsADocumentIndexedBeforeWholeDocumentTextOnceItIsWrittenAgain() throws Exception {
        Path path = tempDir.resolve("upgraded");
        // The document record an earlier version wrote: version guard and tombstone flag, no text.
        try (FSDirectory directory = FSDirectory.open(path);
                IndexWriter old = new IndexWriter(directory, new IndexWriterConfig(TextAnalysis.analyzer()))) {
            Document record = new Document();
            record.add(new StringField(LuceneSearchIndex.KIND, LuceneSearchIndex.KIND_DOCUMENT, Field.Store.NO));
            record.add(new StringField(LuceneSearchIndex.TENANT, TENANT, Field.Store.YES));
            record.add(new StringField(LuceneSearchIndex.DOC_KEY, TENANT + "/old", Field.Store.NO));
            record.add(new StringField(LuceneSearchIndex.DOCUMENT_ID, "old", Field.Store.YES));
            record.add(new NumericDocValuesField(LuceneSearchIndex.VERSION, 1));
            record.add(new StoredField(LuceneSearchIndex.VERSION, 1L));
            record.add(new StringField(LuceneSearchIndex.DELETED, "false", Field.Store.YES));
            old.addDocument(record);
        }

        try (LuceneSearchIndex upgraded = new LuceneSearchIndex(path)) {
            assertThat(upgraded.countDocumentsWithoutText()).isEqualTo(1);
            assertThat(upgraded.searchKeyword(query(5), "pangolins")).isEmpty();

            upgraded.write(List.of(replace(TENANT, "old", 1, "Old", Map.of(), "Pangolins roll into a ball.")));

            assertThat(upgraded.countDocumentsWithoutText()).isZero();
            assertThat(upgraded.searchKeyword(query(5), "pangolins")).extracting(DocumentHit::documentId)
                    .containsExactly("old");
        }
    }

    @Test
    void servesConsistentSearchesWhileDocumentsAreRewritten() throws Exception {
        int versions = 25;
        List<IndexWrite.Replace> rewrites = new ArrayList<>();
        for (int version = 1; version <= versions; version++) {
            List<IndexedChunk> chunks = new ArrayList<>();
            for (int chunk = 0; chunk < 3; chunk++) {
                String text = "Shared words about otters, version " + version + " chunk " + chunk + ".";
                chunks.add(new IndexedChunk(chunk, text, Chunker.hash(text), direction(chunk * 10 + version % 7)));
            }
            rewrites.add(new IndexWrite.Replace(TENANT, "otters", version, "Otters",
                    "Shared words about otters, version " + version + ".", Map.of(), "all-minilm-l6-v2-q", chunks));
        }
        index.write(List.of(rewrites.getFirst()));
        AtomicBoolean writing = new AtomicBoolean(true);
        Queue<String> inconsistencies = new ConcurrentLinkedQueue<>();
        CountDownLatch readersStarted = new CountDownLatch(3);
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> readers = new ArrayList<>();
            for (int reader = 0; reader < 3; reader++) {
                boolean dense = reader % 2 == 0;
                readers.add(executor.submit(() -> {
                    readersStarted.countDown();
                    int searches = 0;
                    while (writing.get() || searches == 0) {
                        // Dense: the document's three chunks, all of one version; keyword: the one document.
                        List<Long> versionsSeen = dense
                                ? index.searchDense(query(10), direction(0)).stream().map(IndexHit::version).toList()
                                : index.searchKeyword(query(10), "otters").stream().map(DocumentHit::version).toList();
                        searches++;
                        if (versionsSeen.size() != (dense ? 3 : 1) || versionsSeen.stream().distinct().count() != 1) {
                            inconsistencies.add(versionsSeen.toString());
                        }
                    }
                    return searches;
                }));
            }
            Future<?> writer = executor.submit(() -> {
                awaitQuietly(readersStarted);
                for (IndexWrite.Replace rewrite : rewrites.subList(1, versions)) {
                    index.write(List.of(rewrite));
                }
                writing.set(false);
            });

            writer.get(60, TimeUnit.SECONDS);
            for (Future<Integer> reader : readers) {
                assertThat(reader.get(60, TimeUnit.SECONDS)).isPositive();
            }
        }
        finally {
            writing.set(false);
            executor.shutdownNow();
        }

        assertThat(inconsistencies).isEmpty();
        assertThat(index.searchKeyword(query(10), "otters")).singleElement()
                .satisfies(hit -> assertThat(hit.version()).isEqualTo(versions));
        assertThat(index.searchDense(query(10), direction(0))).hasSize(3)
                .allSatisfy(hit -> assertThat(hit.version()).isEqualTo(versions));
    }

    @Test
    void refusesToSearchOrWriteOnceClosed() {
        SearchIndex closed = createIndex();
        closed.close();
        closed.close();

        assertThatIllegalStateException().isThrownBy(() -> closed.searchKeyword(query(5), "kafka"));
        assertThatIllegalStateException().isThrownBy(() -> closed.write(corpus(TENANT, 1)));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
