package io.docstream.cli.bench;

import io.docstream.cli.bench.BenchHttp.BenchException;
import io.docstream.cli.bench.BenchHttp.Timed;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The running docstream the scenarios measure: its URLs, an authenticated client, and the calls every scenario
 * needs (posting documents, following them until indexed, scraping a service's Prometheus endpoint).
 */
final class BenchServices {

    private static final Duration INDEXING_TIMEOUT = Duration.ofMinutes(5);
    private static final int POST_BATCH = 20;

    final String ingestUrl;
    final String queryUrl;
    final String indexerUrl;
    final String invalidatorUrl;
    final BenchHttp http;
    final PrintStream out;
    private String lastProgress = "";

    BenchServices(String ingestUrl, String queryUrl, String indexerUrl, String invalidatorUrl, BenchHttp http,
            PrintStream out) {
        this.ingestUrl = ingestUrl;
        this.queryUrl = queryUrl;
        this.indexerUrl = indexerUrl;
        this.invalidatorUrl = invalidatorUrl;
        this.http = http;
        this.out = out;
    }

    /** A document as the ingest API takes it. */
    record Doc(String id, String title, String body, Map<String, String> metadata) {
    }

    /**
     * Fails unless every service is live. Liveness, not the full health: a dependency check that is slow on a
     * loaded machine (a 2 s Redis ping) must not stop a benchmark that would run.
     */
    void requireUp() {
        for (String url : List.of(queryUrl, ingestUrl, indexerUrl, invalidatorUrl)) {
            Timed health = http.get(url + "/actuator/health/liveness");
            if (health.status() != 200) {
                throw new BenchException(url + "/actuator/health/liveness answered " + health.status() + ": "
                        + health.body());
            }
        }
    }

    /** One scrape; empty (every figure from it missing) when the endpoint does not answer 200. */
    PrometheusSamples scrape(String baseUrl) {
        Timed answer = http.get(baseUrl + "/actuator/prometheus");
        if (answer.status() != 200) {
            out.println("  " + baseUrl + "/actuator/prometheus answered " + answer.status()
                    + "; figures from it are left out.");
            return PrometheusSamples.parse("");
        }
        return PrometheusSamples.parse(answer.body());
    }

    /** Chunks the indexer's model had to embed so far (its embedding cache misses). */
    double embeddedChunks() {
        return scrape(indexerUrl).sum("docstream_indexer_embedding_cache_misses_total", Map.of());
    }

    /** Posts documents in batches and returns the accepted version of each, by id, in order. */
    Map<String, Long> post(List<Doc> documents) {
        Map<String, Long> versions = new LinkedHashMap<>();
        for (int from = 0; from < documents.size(); from += POST_BATCH) {
            List<Doc> batch = documents.subList(from, Math.min(from + POST_BATCH, documents.size()));
            Timed answer = http.sendJson("POST", ingestUrl + "/api/v1/documents:batch", batch);
            if (answer.status() != 202) {
                throw new BenchException("POST /api/v1/documents:batch answered " + answer.status() + ": "
                        + answer.body());
            }
            JsonNode entries = answer.json().isArray() ? answer.json() : answer.json().path("documents");
            for (JsonNode entry : entries) {
                versions.put(entry.path("id").asString(), entry.path("version").asLong(-1));
            }
        }
        return versions;
    }

    /** Puts one document and returns its accepted version. */
    long put(Doc doc) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", doc.title());
        body.put("body", doc.body());
        body.put("metadata", doc.metadata());
        Timed answer = http.sendJson("PUT", ingestUrl + "/api/v1/documents/" + doc.id(), body);
        if (answer.status() != 202) {
            throw new BenchException("PUT /api/v1/documents/" + doc.id() + " answered " + answer.status() + ": "
                    + answer.body());
        }
        return answer.json().path("version").asLong(-1);
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
        Timed status = http.get(ingestUrl + "/api/v1/documents/" + id + "/status");
        if (status.status() != 200) {
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
