package io.docstream.cli.bench;

import io.docstream.cli.bench.BenchServices.Doc;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Documents of about {@value #WORDS} words built deterministically (from a seed) out of the sentences of the
 * bundled demo corpus. Every sentence carries a short reference made of the run's nonce and its position, so
 * no chunk of a run equals a chunk of an earlier run and the embedding cache cannot answer for it.
 */
final class SyntheticCorpus {

    static final int WORDS = 150;

    private final List<String> sentences;
    private final List<String> titles;

    private SyntheticCorpus(List<String> sentences, List<String> titles) {
        this.sentences = sentences;
        this.titles = titles;
    }

    static SyntheticCorpus load(JsonMapper mapper) {
        List<String> sentences = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        try (InputStream in = SyntheticCorpus.class.getResourceAsStream(CacheBenchmark.CORPUS)) {
            if (in == null) {
                throw new IllegalStateException("the corpus " + CacheBenchmark.CORPUS + " is missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode doc = mapper.readTree(line);
                titles.add(doc.path("title").asString());
                for (String sentence : doc.path("body").asString().split("(?<=[.!?])\\s+")) {
                    if (sentence.split("\\s+").length >= 4) {
                        sentences.add(sentence.strip());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + CacheBenchmark.CORPUS, e);
        }
        return new SyntheticCorpus(List.copyOf(sentences), List.copyOf(titles));
    }

    /** {@code count} documents with ids {@code <prefix><n>}; the same seed and nonce give the same documents. */
    List<Doc> documents(String prefix, int count, String nonce, long seed) {
        Random random = new Random(seed);
        List<Doc> documents = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            documents.add(new Doc(prefix + n, titles.get(random.nextInt(titles.size())) + " " + n,
                    body(random, WORDS, nonce + "-" + n), Map.of("source", "bench")));
        }
        return documents;
    }

    /** About {@code words} words of sentences, each tagged with {@code tag} and its position. */
    String body(Random random, int words, String tag) {
        StringBuilder body = new StringBuilder();
        int written = 0;
        for (int s = 0; written < words; s++) {
            String sentence = sentences.get(random.nextInt(sentences.size()));
            if (!body.isEmpty()) {
                body.append(' ');
            }
            body.append(tagged(sentence, tag + "-" + s));
            written += sentence.split("\\s+").length + 1;
        }
        return body.toString();
    }

    /** Paragraphs (blank-line separated, so each is chunked on its own) of about {@code words} words each. */
    List<String> paragraphs(Random random, int paragraphs, int words, String tag) {
        List<String> result = new ArrayList<>();
        for (int p = 0; p < paragraphs; p++) {
            result.add(body(random, words, tag + "-p" + p));
        }
        return result;
    }

    /** Random sentence fragments of the corpus: queries that are realistic yet distinct from run to run. */
    List<String> queries(Random random, int count) {
        List<String> queries = new ArrayList<>(count);
        while (queries.size() < count) {
            String[] words = sentences.get(random.nextInt(sentences.size())).replaceAll("[^\\p{L}\\p{N}\\s-]", "")
                    .split("\\s+");
            int length = 3 + random.nextInt(4);
            if (words.length < length) {
                continue;
            }
            int start = random.nextInt(words.length - length + 1);
            String query = String.join(" ", List.of(words).subList(start, start + length)).toLowerCase();
            if (!queries.contains(query)) {
                queries.add(query);
            }
        }
        return queries;
    }

    private static String tagged(String sentence, String tag) {
        char last = sentence.charAt(sentence.length() - 1);
        boolean closed = last == '.' || last == '!' || last == '?';
        return (closed ? sentence.substring(0, sentence.length() - 1) : sentence) + " (ref " + tag + ")"
                + (closed ? last : '.');
    }
}
