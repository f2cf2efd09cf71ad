package io.docstream.cli.demo;

import io.docstream.cli.BatchAnswers;
import io.docstream.cli.CommandFailure;
import io.docstream.cli.ServiceHttp;
import io.docstream.cli.ServiceOptions;
import io.docstream.cli.demo.DemoCorpus.Document;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docstream demo}: posts the bundled corpus through the ingest API, waits until every document is
 * indexed, reports the throughput, and shows what keyword, semantic, hybrid and filtered searches return.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {
            "Load a sample corpus of 60 short documents (cooking, astronomy, networking, gardening, finance,"
                    + " medicine, music, sports, history, programming, geology, oceans) into a running docstream,"
                    + " wait until all are indexed, print documents per second, and run five example searches (the last"
                    + " finds nothing, so it shows under 'docstream queries no-results').",
            "",
            "Needs 'docstream run' to be running; uses the API key from <data-dir>/api-key (or --api-key-file)."
        })
public final class DemoCommand implements Callable<Integer> {

    /** Example searches: what each mode is good at, on this corpus. */
    static final List<ExampleSearch> EXAMPLES = List.of(
            new ExampleSearch("keyword", "Maillard crust", "keyword", null),
            new ExampleSearch("semantic paraphrase", "how do shots teach the body to fight germs", "semantic", null),
            new ExampleSearch("hybrid", "protecting savings when prices keep rising", "hybrid", null),
            new ExampleSearch("filtered", "temperature", "hybrid", "category:oceans"),
            new ExampleSearch("nonsense", "blorptax quizzlewump", "keyword", null));

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

    @Mixin
    ServiceOptions services;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "10",
            description = "Documents per POST /api/v1/documents:batch.")
    int batchSize;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT3M",
            description = "How long to wait for all documents to be indexed, ISO-8601.")
    Duration timeout;

    record ExampleSearch(String label, String query, String mode, String filter) {
    }

    @Override
    public Integer call() {
        PrintStream out = System.out;
        return CommandFailure.exitCode("demo", out, () -> {
            run(out);
            return 0;
        });
    }

    private void run(PrintStream out) {
        if (batchSize < 1) {
            throw new DemoException("--batch-size must be at least 1");
        }
        JsonMapper mapper = JsonMapper.builder().build();
        List<Document> corpus = DemoCorpus.load(mapper);
        ServiceHttp ingest = services.ingest(HTTP_TIMEOUT, DemoException::new);
        ServiceHttp query = services.queryApi(HTTP_TIMEOUT, DemoException::new);

        out.println("Posting " + corpus.size() + " documents to " + ingest.url() + " ...");
        long started = System.nanoTime();
        Map<String, Long> versions = post(ingest, corpus, out);
        awaitIndexed(ingest, versions, out);
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf(Locale.ROOT, "All %d documents indexed in %.1f s (%.1f docs/s, from first POST to last indexed).%n%n",
                corpus.size(), seconds, corpus.size() / seconds);

        for (ExampleSearch example : EXAMPLES) {
            search(query, example, out);
        }
        out.println("What was searched, counted by the analytics app a few seconds from now:");
        out.println("  ./docstream queries top          ./docstream queries no-results");
    }

    private Map<String, Long> post(ServiceHttp ingest, List<Document> corpus, PrintStream out) {
        Map<String, Long> versions = new LinkedHashMap<>();
        ProgressBar bar = new ProgressBar(out, corpus.size(), "docs posted");
        bar.update(0);
        for (int from = 0; from < corpus.size(); from += batchSize) {
            List<Document> batch = corpus.subList(from, Math.min(from + batchSize, corpus.size()));
            JsonNode answer = ingest.post("/api/v1/documents:batch", batch, 202);
            for (JsonNode entry : BatchAnswers.entries(answer)) {
                versions.put(entry.path("id").asString(), entry.path("version").asLong(-1));
            }
            bar.update(from + batch.size());
        }
        bar.finish();
        for (Document document : corpus) {
            if (!versions.containsKey(document.id())) {
                throw new DemoException("the batch answer has no entry for document " + document.id());
            }
        }
        return versions;
    }

    private void awaitIndexed(ServiceHttp ingest, Map<String, Long> versions, PrintStream out) {
        Map<String, Long> pending = new LinkedHashMap<>(versions);
        ProgressBar bar = new ProgressBar(out, versions.size(), "docs indexed");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            pending.entrySet().removeIf(entry -> isIndexed(ingest, entry.getKey(), entry.getValue()));
            bar.update(versions.size() - pending.size());
            if (pending.isEmpty()) {
                bar.finish();
                return;
            }
            if (System.nanoTime() > deadline) {
                bar.finish();
                throw new DemoException(pending.size() + " of " + versions.size() + " documents were not indexed within "
                        + timeout.toSeconds() + " s (still pending: " + String.join(", ", pending.keySet().stream()
                                .limit(5).toList()) + (pending.size() > 5 ? ", ..." : "")
                        + "). Is the indexer running? See the output of './docstream run'.");
            }
            pause();
        }
    }

    private static boolean isIndexed(ServiceHttp ingest, String id, long version) {
        JsonNode status = ingest.get("/api/v1/documents/" + id + "/status", 200);
        String state = status.path("state").asString("");
        if ("failed".equals(state)) {
            throw new DemoException("document " + id + " failed to index: " + status.path("error").asString("no reason given"));
        }
        return "indexed".equals(state) && status.path("indexedVersion").asLong(-1) >= version;
    }

    private static void search(ServiceHttp query, ExampleSearch example, PrintStream out) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("q", example.query());
        parameters.put("mode", example.mode());
        parameters.put("k", "3");
        if (example.filter() != null) {
            parameters.put("filter", example.filter());
        }
        JsonNode answer = query.get("/api/v1/search?" + ServiceHttp.query(parameters), 200);
        out.printf("%s search (mode=%s%s): \"%s\"%n", capitalize(example.label()), example.mode(),
                example.filter() == null ? "" : ", filter=" + example.filter(), example.query());
        JsonNode results = answer.path("results");
        if (results.isEmpty()) {
            out.println("   (no results)");
        }
        int rank = 1;
        for (JsonNode hit : results) {
            out.printf(Locale.ROOT, "   %d. %-48s score %.4f%n", rank++, hit.path("title").asString(""),
                    hit.path("score").asDouble());
        }
        out.println();
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoException("interrupted");
        }
    }

    private static String capitalize(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** A failure the demo reports as one line, without a stack trace. */
    static final class DemoException extends CommandFailure {
        DemoException(String message) {
            super(message);
        }
    }
}
