package io.docstream.cli.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A retrieval test collection in the BEIR file formats: {@code corpus.jsonl} ({@code _id}, {@code title},
 * {@code text}), {@code queries.jsonl} ({@code _id}, {@code text}) and a qrels TSV with the header
 * {@code query-id corpus-id score}; any of them may be gzipped ({@code .gz}).
 *
 * @param judgements query id to (document id to relevance grade)
 */
record BeirDataset(List<Document> corpus, List<Query> queries, Map<String, Map<String, Integer>> judgements) {

    /** A corpus document. */
    record Document(String id, String title, String text) {
    }

    /** A query. */
    record Query(String id, String text) {
    }

    /** The three files, by name. */
    record Sources(Path corpus, Path queries, Path qrels) {
    }

    /** The queries that have a relevant document, in file order: the ones BEIR evaluates. */
    List<Query> judgedQueries() {
        return queries.stream().filter(query -> RetrievalMetrics.hasRelevant(judgements.get(query.id()))).toList();
    }

    static BeirDataset read(Sources files, JsonMapper mapper, Function<String, ? extends RuntimeException> failure) {
        return new BeirDataset(readCorpus(files.corpus(), mapper, failure),
                readQueries(files.queries(), mapper, failure), readQrels(files.qrels(), failure));
    }

    /**
     * Finds the files in a dataset directory: {@code corpus.jsonl}, {@code queries.jsonl} and {@code qrels.tsv}
     * (or BEIR's {@code qrels/test.tsv}), each possibly with {@code .gz}.
     */
    static Sources locate(Path directory, Function<String, ? extends RuntimeException> failure) {
        return new Sources(find(directory, failure, "corpus.jsonl"), find(directory, failure, "queries.jsonl"),
                find(directory, failure, "qrels.tsv", "qrels/test.tsv"));
    }

    private static Path find(Path directory, Function<String, ? extends RuntimeException> failure, String... names) {
        for (String name : names) {
            for (String candidate : List.of(name, name + ".gz")) {
                Path path = directory.resolve(candidate);
                if (Files.isRegularFile(path)) {
                    return path;
                }
            }
        }
        throw failure.apply("no " + String.join(" or ", names) + " (or .gz) in " + directory.toAbsolutePath());
    }

    static List<Document> readCorpus(Path file, JsonMapper mapper,
            Function<String, ? extends RuntimeException> failure) {
        List<Document> corpus = new ArrayList<>();
        readJsonLines(file, mapper, failure, (line, json) -> corpus.add(new Document(
                requireText(json, "_id", file, line, failure), json.path("title").asString(""),
                json.path("text").asString(""))));
        return corpus;
    }

    static List<Query> readQueries(Path file, JsonMapper mapper,
            Function<String, ? extends RuntimeException> failure) {
        List<Query> queries = new ArrayList<>();
        readJsonLines(file, mapper, failure, (line, json) -> queries.add(new Query(
                requireText(json, "_id", file, line, failure), requireText(json, "text", file, line, failure))));
        return queries;
    }

    /** Reads a qrels TSV; the header line is optional, a repeated (query, document) pair keeps the last grade. */
    static Map<String, Map<String, Integer>> readQrels(Path file,
            Function<String, ? extends RuntimeException> failure) {
        Map<String, Map<String, Integer>> judgements = new LinkedHashMap<>();
        try (BufferedReader reader = open(file)) {
            String row;
            int line = 0;
            while ((row = reader.readLine()) != null) {
                line++;
                if (row.isBlank() || (line == 1 && row.startsWith("query-id"))) {
                    continue;
                }
                String[] fields = row.strip().split("\t");
                if (fields.length != 3) {
                    throw failure.apply(file + ":" + line + ": expected 'query-id<TAB>corpus-id<TAB>score'");
                }
                try {
                    judgements.computeIfAbsent(fields[0], id -> new LinkedHashMap<>())
                            .put(fields[1], Integer.parseInt(fields[2].strip()));
                } catch (NumberFormatException e) {
                    throw failure.apply(file + ":" + line + ": score '" + fields[2] + "' is not an integer");
                }
            }
        } catch (IOException e) {
            throw failure.apply("cannot read " + file + ": " + e.getMessage());
        }
        return judgements;
    }

    private interface LineHandler {
        void accept(int line, JsonNode json);
    }

    private static void readJsonLines(Path file, JsonMapper mapper,
            Function<String, ? extends RuntimeException> failure, LineHandler handler) {
        try (BufferedReader reader = open(file)) {
            String row;
            int line = 0;
            while ((row = reader.readLine()) != null) {
                line++;
                if (row.isBlank()) {
                    continue;
                }
                JsonNode json;
                try {
                    json = mapper.readTree(row);
                } catch (JacksonException e) {
                    throw failure.apply(file + ":" + line + ": not a JSON object");
                }
                handler.accept(line, json);
            }
        } catch (IOException | UncheckedIOException e) {
            throw failure.apply("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String requireText(JsonNode json, String field, Path file, int line,
            Function<String, ? extends RuntimeException> failure) {
        JsonNode value = json.path(field);
        if (!(value.isString() || value.isNumber()) || value.asString().isBlank()) {
            throw failure.apply(file + ":" + line + ": '" + field + "' is missing");
        }
        return value.asString();
    }

    private static BufferedReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
}
