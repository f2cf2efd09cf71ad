package io.docstream.cli.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The sample corpus bundled with the cli: one JSON document per line, in the shape the ingest API takes. */
final class DemoCorpus {

    static final String RESOURCE = "/demo/corpus.jsonl";

    private DemoCorpus() {
    }

    record Document(String id, String title, String body, Map<String, String> metadata) {

        Document {
            if (id == null || id.isBlank() || title == null || body == null || body.isBlank()) {
                throw new IllegalArgumentException("a demo document needs an id, a title and a body");
            }
            metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        }

        String category() {
            return metadata.getOrDefault("category", "");
        }
    }

    static List<Document> load(JsonMapper mapper) {
        try (InputStream in = DemoCorpus.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the demo corpus " + RESOURCE + " is missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<Document> documents = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    documents.add(mapper.readValue(line, Document.class));
                }
            }
            return List.copyOf(documents);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the demo corpus", e);
        }
    }
}
