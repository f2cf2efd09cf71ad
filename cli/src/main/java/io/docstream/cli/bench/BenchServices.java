package io.docstream.cli.bench;

import io.docstream.cli.BatchAnswers;
import io.docstream.cli.ServiceHttp;
import io.docstream.cli.ServiceHttp.Answer;
import io.docstream.cli.ServiceOptions;
import io.docstream.cli.bench.BenchCommand.BenchException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The running docstream the scenarios measure: an authenticated client per service, and the calls every scenario
 * needs (posting documents, following them until indexed, scraping a service's Prometheus endpoint).
 */
final class BenchServices {

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration INDEXING_TIMEOUT = Duration.ofMinutes(15);
    private static final int POST_BATCH = 20;

    final ServiceHttp query;
    final ServiceHttp ingest;
    final ServiceHttp indexer;
    final ServiceHttp invalidator;
    final URI redis;
    final PrintStream out;
    private String lastProgress = "";

    BenchServices(ServiceOptions options, PrintStream out) {
        this.query = options.queryApi(HTTP_TIMEOUT, BenchException::new);
        this.ingest = options.ingest(HTTP_TIMEOUT, BenchException::new);
        this.indexer = options.indexer(HTTP_TIMEOUT, BenchException::new);
        this.invalidator = options.invalidator(HTTP_TIMEOUT, BenchException::new);
        this.redis = options.redisUri();
        this.out = out;
    }

    /** A document as the ingest API takes it. */
    record Doc(String id, String title, String body, Map<String, String> metadata) {
    }

    List<ServiceHttp> all() {
        return List.of(query, ingest, indexer, invalidator);
    }

    /**
     * Fails unless every one of {@code services} is live. Liveness, not the full health: a dependency check that
     * is slow on a loaded machine (a 2 s Redis ping) must not stop a benchmark that would run.
     */
    void requireUp(List<ServiceHttp> services) {
        for (ServiceHttp service : services) {
            Answer health = service.exchange("/actuator/health/liveness");
            if (health.status() != 200) {
                throw new BenchException(service.url() + "/actuator/health/liveness answered " + health.status() + ": "
                        + health.body());
            }
        }
    }

    /** One scrape; empty (every figure from it missing) when the endpoint does not answer 200. */
    PrometheusSamples scrape(ServiceHttp service) {
        Answer answer = service.exchange("/actuator/prometheus");
        if (answer.status() != 200) {
            out.println("  " + service.url() + "/actuator/prometheus answered " + answer.status()
                    + "; figures from it are left out.");
            return PrometheusSamples.parse("");
        }
        return PrometheusSamples.parse(answer.body());
    }

    /** Chunks the indexer's model had to embed so far (its embedding cache misses). */
    double embeddedChunks() {
        return scrape(indexer).sum("docstream_indexer_embedding_cache_misses_total", Map.of());
    }

    /** Posts documents in batches and returns the accepted version of each, by id, in order. */
    Map<String, Long> post(List<Doc> documents) {
        Map<String, Long> versions = new LinkedHashMap<>();
        for (int from = 0; from < documents.size(); from += POST_BATCH) {
            List<Doc> batch = documents.subList(from, Math.min(from + POST_BATCH, documents.size()));
            for (JsonNode entry : BatchAnswers.entries(ingest.post("/api/v1/documents:batch", batch, 202))) {
                versions.put(entry.path("id").asString(), entry.path("version").asLong(-1));
            }
        }
        return versions;
    }

    /** Puts one document and returns its accepted version. */
    long put(Doc doc) {
        return ingest.put("/api/v1/documents/" + doc.id(), content(doc, doc.body()), 202).path("version").asLong(-1);
    }

    /** The body of a PUT: the document without its id, with {@code body} as its text. */
    static Map<String, Object> content(Doc doc, String body) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("title", doc.title());
        content.put("body", body);
        content.put("metadata", doc.metadata());
        return content;
    }

    /**
     * Waits until every document is reported indexed at its version and returns when the last one was seen so
     * ({@link System#nanoTime()}). Each round checks the pending documents in posting order and stops at the
     * first one still pending (the rest are mostly behind it), and rounds are 200 ms apart, so following a large
     * corpus costs the services little (polling every 50 ms was a visible share of the ingest profile).
     */
    long awaitIndexed(Map<String, Long> versions, String what) throws InterruptedException {
        List<Map.Entry<String, Long>> pending = new ArrayList<>(versions.entrySet());
        long deadline = System.nanoTime() + INDEXING_TIMEOUT.toNanos();
        long seen = System.nanoTime();
        while (!pending.isEmpty()) {
            while (!pending.isEmpty() && isIndexed(pending.getFirst().getKey(), pending.getFirst().getValue())) {
                pending.removeFirst();
                seen = System.nanoTime();
            }
            // documents of other partitions may already be done behind the first pending one: look a little ahead
            for (int i = Math.min(8, pending.size()) - 1; i >= 1; i--) {
                if (isIndexed(pending.get(i).getKey(), pending.get(i).getValue())) {
                    pending.remove(i);
                    seen = System.nanoTime();
                }
            }
            progress(what, versions.size() - pending.size(), versions.size(), "");
            if (pending.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new BenchException(pending.size() + " documents were not indexed within "
                        + INDEXING_TIMEOUT.toMinutes() + " min");
            }
            Thread.sleep(200);
        }
        out.println();
        return seen;
    }

    /** Whether the document is reported indexed at {@code version} or later; a failed one ends the benchmark. */
    boolean isIndexed(String id, long version) {
        Answer status = ingest.exchange("/api/v1/documents/" + id + "/status");
        if (status.status() != 200 || status.json() == null) {
            return false;
        }
        String state = status.json().path("state").asString("");
        if ("failed".equals(state)) {
            throw new BenchException("document " + id + " failed to index: " + status.json().path("error").asString(""));
        }
        return "indexed".equals(state) && status.json().path("indexedVersion").asLong(-1) >= version;
    }

    /** Redraws a one-line progress bar. */
    synchronized void progress(String unit, long done, long total, String suffix) {
        int width = 30;
        int filled = total <= 0 ? width : (int) Math.min(width, done * width / total);
        String line = "\r  [" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total + " "
                + unit + suffix + "   ";
        if (!line.equals(lastProgress)) {
            out.print(line);
            out.flush();
            lastProgress = line;
        }
    }
}
