package io.docstream.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.cli.eval.EvalCommand.EvalException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class BeirDatasetTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path directory;

    @Test
    void readsPlainFilesGivenByName() throws IOException {
        Path corpus = write("corpus.jsonl", """
                {"_id": "d1", "title": "Bread", "text": "Sourdough rises slowly."}
                {"_id": 2, "text": "No title here."}
                """);
        Path queries = write("queries.jsonl", """
                {"_id": "q1", "text": "how does bread rise"}
                {"_id": "q2", "text": "unjudged"}
                {"_id": "q3", "text": "judged, nothing relevant"}
                """);
        Path qrels = write("qrels.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t2\nq1\t2\t0\nq3\td1\t0\n");

        BeirDataset dataset = BeirDataset.read(new BeirDataset.Sources(corpus, queries, qrels), JSON,
                EvalException::new);

        assertThat(dataset.corpus()).containsExactly(new BeirDataset.Document("d1", "Bread", "Sourdough rises slowly."),
                new BeirDataset.Document("2", "", "No title here."));
        assertThat(dataset.judgements()).containsExactlyInAnyOrderEntriesOf(Map.of("q1", Map.of("d1", 2, "2", 0),
                "q3", Map.of("d1", 0)));
        assertThat(dataset.judgedQueries()).containsExactly(new BeirDataset.Query("q1", "how does bread rise"));
    }

    @Test
    void findsGzippedFilesAndBeirsQrelsFolderInADatasetDirectory() throws IOException {
        gzip("corpus.jsonl.gz", "{\"_id\": \"d1\", \"title\": \"t\", \"text\": \"x\"}\n");
        gzip("queries.jsonl.gz", "{\"_id\": \"q1\", \"text\": \"x\"}\n");
        Files.createDirectories(directory.resolve("qrels"));
        write("qrels/test.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\n");

        BeirDataset.Sources sources = BeirDataset.locate(directory, EvalException::new);
        BeirDataset dataset = BeirDataset.read(sources, JSON, EvalException::new);

        assertThat(sources.qrels()).isEqualTo(directory.resolve("qrels/test.tsv"));
        assertThat(dataset.corpus()).hasSize(1);
        assertThat(dataset.judgedQueries()).extracting(BeirDataset.Query::id).containsExactly("q1");
    }

    @Test
    void namesTheFileAndLineOfBadInput() throws IOException {
        Path qrels = write("qrels.tsv", "query-id\tcorpus-id\tscore\nq1\td1\thigh\n");
        Path corpus = write("corpus.jsonl", "{\"title\": \"no id\"}\n");

        assertThatThrownBy(() -> BeirDataset.readQrels(qrels, EvalException::new))
                .hasMessageContaining("qrels.tsv:2").hasMessageContaining("not an integer");
        assertThatThrownBy(() -> BeirDataset.readCorpus(corpus, JSON, EvalException::new))
                .hasMessageContaining("corpus.jsonl:1").hasMessageContaining("'_id' is missing");
        assertThatThrownBy(() -> BeirDataset.locate(directory.resolve("nowhere"), EvalException::new))
                .hasMessageContaining("corpus.jsonl");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(directory.resolve(name), content, StandardCharsets.UTF_8);
    }

    private void gzip(String name, String content) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(directory.resolve(name)))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }
}
