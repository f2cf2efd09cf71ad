package io.docstream.cli.eval;

import io.docstream.cli.BatchAnswers;
import io.docstream.cli.ServiceHttp;
import io.docstream.cli.eval.EvalCommand.EvalException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * One evaluation run against a docstream: posts the corpus through the ingest API, waits until every
 * document is indexed, then asks every judged query in every mode for its top 100 and scores the rankings.
 * Latency is the client's round trip of the first (uncached) answer to each query and mode.
 */
final class Evaluation {

    static final int K = 100;
    static final Duration HTTP_TIMEOUT = Duration.ofSeconds(120);
    /**
     * Status checks per polling round, and the pause between rounds. Every check is an HTTP request and a
     * PostgreSQL query on the machine doing the indexing, so waiting must stay cheap: polling 200 documents
     * per round without pause took a visible share of the CPU the indexer needs (profiled with JFR).
     */
    private static final int STATUS_CHECKS_PER_ROUND = 16;
    private static final long ROUND_PAUSE_MILLIS = 250;

    /**
     * @param indexer  the indexer, for its chunk counters, or null where it is not known
     * @param idPrefix put before every corpus id, so the corpus can share a tenant with other documents;
     *                 results without it are not part of the corpus and are left out of the rankings
     */
    record Settings(ServiceHttp ingest, ServiceHttp query, ServiceHttp indexer, List<EvalMode> modes,
            int concurrency, int batchSize, Duration indexTimeout, String idPrefix) {
    }

    /** The report's {@code ingest}, {@code modes} and {@code queries}. */
    record Result(EvalReport.Ingest ingest, Map<String, EvalReport.ModeFigures> modes,
            List<EvalReport.QueryRanks> queries) {
    }

    private final Settings settings;
    private final JsonMapper mapper;
    private final PrintStream out;
    private final ServiceHttp ingest;
    private final ServiceHttp query;

    Evaluation(Settings settings, JsonMapper mapper, PrintStream out) {
        this.settings = settings;
        this.mapper = mapper;
        this.out = out;
        this.ingest = settings.ingest();
        this.query = settings.query();
    }

    /** Runs ingest and queries. */
    Result run(BeirDataset dataset, List<BeirDataset.Query> queries) {
        EvalReport.Ingest ingested = ingest(dataset.corpus());
        Map<EvalMode, ModeResult> results = new EnumMap<>(EvalMode.class);
        for (EvalMode mode : settings.modes()) {
            results.put(mode, search(mode, queries, dataset.judgements()));
        }
        Map<String, EvalReport.ModeFigures> modes = new LinkedHashMap<>();
        results.forEach((mode, result) -> modes.put(mode.label(), result.summary()));
        List<EvalReport.QueryRanks> perQuery = new ArrayList<>();
        for (BeirDataset.Query q : queries) {
            List<String> relevant = dataset.judgements().get(q.id()).entrySet().stream()
                    .filter(judged -> judged.getValue() > 0).map(Map.Entry::getKey).toList();
            Map<String, Integer> ranks = new LinkedHashMap<>();
            results.forEach((mode, result) -> ranks.put(mode.label(), result.firstRelevantRank.get(q.id())));
            perQuery.add(new EvalReport.QueryRanks(q.id(), q.text(), relevant, ranks));
        }
        return new Result(ingested, modes, perQuery);
    }

    private EvalReport.Ingest ingest(List<BeirDataset.Document> corpus) {
        Map<String, Long> chunksBefore = chunkCounters();
        out.printf("Posting %d documents to %s (%d at a time, %d per batch) ...%n", corpus.size(),
                ingest.url(), settings.concurrency(), settings.batchSize());
        long started = System.nanoTime();
        Map<String, Long> versions = post(corpus);
        double postSeconds = (System.nanoTime() - started) / 1e9;
        awaitIndexed(versions);
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Long> chunksAfter = chunkCounters();
        out.printf(Locale.ROOT, "%d documents indexed in %.1f s (%.1f docs/s, first POST to last indexed)%n%n",
                corpus.size(), seconds, corpus.size() / seconds);

        Long chunks = null;
        Long chunkLookups = null;
        if (chunksBefore != null && chunksAfter != null) {
            long hits = chunksAfter.get("hits") - chunksBefore.get("hits");
            long misses = chunksAfter.get("misses") - chunksBefore.get("misses");
            // Chunks the model embedded; a flush retried after an aborted transaction finds the chunks it had
            // embedded in the embedding cache, so lookups (hits + misses) can exceed the corpus's chunks.
            chunks = misses;
            chunkLookups = hits + misses;
        }
        return new EvalReport.Ingest(corpus.size(), round(postSeconds), round(seconds), round(corpus.size() / seconds),
                chunks, chunkLookups);
    }

    private Map<String, Long> post(List<BeirDataset.Document> corpus) {
        List<List<BeirDataset.Document>> batches = new ArrayList<>();
        for (int from = 0; from < corpus.size(); from += settings.batchSize()) {
            batches.add(corpus.subList(from, Math.min(from + settings.batchSize(), corpus.size())));
        }
        Map<String, Long> versions = new ConcurrentHashMap<>();
        Progress progress = new Progress(out, corpus.size(), "docs posted");
        AtomicInteger posted = new AtomicInteger();
        runAll(batches.stream().<Runnable>map(batch -> () -> {
            ArrayNode body = mapper.createArrayNode();
            for (BeirDataset.Document document : batch) {
                body.addObject().put("id", settings.idPrefix() + document.id()).put("title", document.title())
                        .put("body", document.text().isBlank() ? document.title() : document.text());
            }
            JsonNode answer = ingest.post("/api/v1/documents:batch", body, 0);
            for (JsonNode entry : BatchAnswers.entries(answer)) {
                versions.put(entry.path("id").asString(), entry.path("version").asLong(-1));
            }
            progress.update(posted.addAndGet(batch.size()));
        }).toList());
        progress.finish();
        Map<String, Long> ordered = new LinkedHashMap<>();
        for (BeirDataset.Document document : corpus) {
            Long version = versions.get(settings.idPrefix() + document.id());
            if (version == null) {
                throw new EvalException("the batch answer has no entry for document " + document.id());
            }
            ordered.put(settings.idPrefix() + document.id(), version);
        }
        return ordered;
    }

    /**
     * Polls document status until every document is indexed at its accepted version. Documents are indexed
     * roughly in the order they were posted, so each round checks the oldest pending ones first and stops after
     * a bounded number of checks instead of asking for every document every time.
     */
    private void awaitIndexed(Map<String, Long> versions) {
        Map<String, Long> pending = Collections.synchronizedMap(new LinkedHashMap<>(versions));
        Progress progress = new Progress(out, versions.size(), "docs indexed");
        long deadline = System.nanoTime() + settings.indexTimeout().toNanos();
        while (true) {
            List<Map.Entry<String, Long>> round;
            synchronized (pending) {
                round = pending.entrySet().stream().limit(STATUS_CHECKS_PER_ROUND)
                        .map(entry -> Map.entry(entry.getKey(), entry.getValue())).toList();
            }
            runAll(round.stream().<Runnable>map(entry -> () -> {
                if (isIndexed(entry.getKey(), entry.getValue())) {
                    pending.remove(entry.getKey());
                }
            }).toList());
            progress.update(versions.size() - pending.size());
            if (pending.isEmpty()) {
                progress.finish();
                return;
            }
            if (System.nanoTime() > deadline) {
                progress.finish();
                throw new EvalException(pending.size() + " of " + versions.size() + " documents were not indexed"
                        + " within " + settings.indexTimeout().toSeconds() + " s; is the indexer running?");
            }
            pause(ROUND_PAUSE_MILLIS);
        }
    }

    private boolean isIndexed(String id, long version) {
        JsonNode status = ingest.get("/api/v1/documents/" + ServiceHttp.encode(id).replace("+", "%20") + "/status",
                200);
        String state = status.path("state").asString("");
        if ("failed".equals(state)) {
            throw new EvalException("document " + id + " failed to index: "
                    + status.path("error").asString("no reason given"));
        }
        return "indexed".equals(state) && status.path("indexedVersion").asLong(-1) >= version;
    }

    private ModeResult search(EvalMode mode, List<BeirDataset.Query> queries,
            Map<String, Map<String, Integer>> judgements) {
        ModeResult result = new ModeResult(mode);
        Progress progress = new Progress(out, queries.size(), "queries, mode " + mode.label());
        int done = 0;
        for (BeirDataset.Query q : queries) {
            StringBuilder path = new StringBuilder("/api/v1/search?k=").append(K)
                    .append("&mode=").append(mode.mode())
                    .append("&q=").append(ServiceHttp.encode(q.text()));
            if (mode.fusion() != null) {
                path.append("&fusion=").append(mode.fusion());
            }
            long started = System.nanoTime();
            JsonNode answer = query.get(path.toString(), 200);
            long nanos = System.nanoTime() - started;
            List<String> ranking = new ArrayList<>();
            for (JsonNode hit : answer.path("results")) {
                String id = hit.path("id").asString("");
                if (id.startsWith(settings.idPrefix())) {
                    ranking.add(id.substring(settings.idPrefix().length()));
                }
            }
            result.add(q.id(), ranking, judgements.get(q.id()), answer.path("cache").asString("miss"), nanos,
                    !answer.path("degraded").isEmpty());
            progress.update(++done);
        }
        progress.finish();
        return result;
    }

    /** The indexer's chunk counters ({@code hits}, {@code misses} of its embedding cache), or null. */
    private Map<String, Long> chunkCounters() {
        if (settings.indexer() == null) {
            return null;
        }
        ServiceHttp.Answer answer;
        try {
            answer = settings.indexer().exchange("/actuator/prometheus");
        } catch (EvalException e) {
            // the counters are optional: an indexer that cannot be reached leaves the chunk counts out
            if (Thread.currentThread().isInterrupted()) {
                throw e;
            }
            return null;
        }
        if (answer.status() != 200) {
            return null;
        }
        return Map.of("hits", counter(answer.body(), "docstream_indexer_embedding_cache_hits_total"),
                "misses", counter(answer.body(), "docstream_indexer_embedding_cache_misses_total"));
    }

    /** The sum of a counter over its label sets in the Prometheus text format. */
    static long counter(String exposition, String name) {
        double sum = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Math.round(sum);
    }

    private void runAll(List<Runnable> tasks) {
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(settings.concurrency(),
                tasks.size())))) {
            List<Future<?>> futures = tasks.stream().<Future<?>>map(pool::submit).toList();
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    futures.forEach(f -> f.cancel(true));
                    if (e.getCause() instanceof EvalException failure) {
                        throw failure;
                    }
                    throw new EvalException(String.valueOf(e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EvalException("interrupted");
                }
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EvalException("interrupted");
        }
    }

    static double round(double value) {
        return Double.isFinite(value) ? Math.round(value * 10_000) / 10_000.0 : value;
    }

    /** The nearest-rank percentile of latencies in nanoseconds, in milliseconds; NaN without samples. */
    static double percentileMillis(List<Long> nanos, double percentile) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))) / 1e6;
    }

    /** What one mode's searches gave: averaged metrics, latencies of uncached answers, per-query ranks. */
    static final class ModeResult {

        private final EvalMode mode;
        private final RetrievalMetrics.Averages averages = new RetrievalMetrics.Averages();
        private final List<Long> missNanos = new ArrayList<>();
        private final Map<String, Integer> cacheLayers = new LinkedHashMap<>();
        private final Map<String, Integer> firstRelevantRank = new LinkedHashMap<>();
        private int answered;
        private int degraded;

        ModeResult(EvalMode mode) {
            this.mode = mode;
        }

        void add(String queryId, List<String> ranking, Map<String, Integer> judged, String cache, long nanos,
                boolean wasDegraded) {
            answered++;
            averages.add(queryId, ranking, judged);
            int rank = RetrievalMetrics.firstRelevantRank(ranking, judged);
            firstRelevantRank.put(queryId, rank == 0 ? null : rank);
            cacheLayers.merge(cache, 1, Integer::sum);
            if ("miss".equals(cache)) {
                missNanos.add(nanos);
            }
            if (wasDegraded) {
                degraded++;
            }
        }

        EvalReport.ModeFigures summary() {
            return new EvalReport.ModeFigures(mode.mode(), mode.fusion(), averages.queries(), answered,
                    round(averages.ndcg10()), round(averages.recall100()), round(averages.mrr10()),
                    round(percentileMillis(missNanos, 50)), round(percentileMillis(missNanos, 99)), missNanos.size(),
                    cacheLayers, degraded);
        }
    }

    /** A one-line progress bar redrawn in place, with the rate since it started. */
    static final class Progress {

        private static final int WIDTH = 30;

        private final PrintStream out;
        private final int total;
        private final String label;
        private final long started = System.nanoTime();
        private String lastLine = "";

        Progress(PrintStream out, int total, String label) {
            this.out = out;
            this.total = total;
            this.label = label;
        }

        synchronized void update(int done) {
            int clamped = Math.max(0, Math.min(done, total));
            int filled = total == 0 ? WIDTH : clamped * WIDTH / total;
            double seconds = (System.nanoTime() - started) / 1e9;
            String line = String.format(Locale.ROOT, "[%s%s] %d/%d %s (%.1f/s)", "#".repeat(filled),
                    ".".repeat(WIDTH - filled), clamped, total, label, seconds > 0 ? clamped / seconds : 0);
            if (!line.equals(lastLine)) {
                out.print("\r" + line);
                out.flush();
                lastLine = line;
            }
        }

        synchronized void finish() {
            out.println();
        }
    }
}
