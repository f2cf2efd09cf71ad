package io.docstream.cli.bench;

import io.docstream.cli.ServiceHttp;
import io.docstream.cli.bench.BenchCommand.BenchException;
import io.docstream.cli.bench.LoadGenerator.Answer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The cached-search scenario: one search answered from query-api's L1 cache, loaded with N keep-alive
 * connections at the maximum rate and then at half of it (constant rate), against the JDK's HTTP server
 * returning the same response bytes, loaded by the same generator the same way.
 */
final class CachedSearchBenchmark {

    private static final Duration WARM_UP = Duration.ofSeconds(2);
    /**
     * Max-rate warm-up: slices of this length until {@link #PLATEAU} slices in a row stayed within {@link #STEADY} of
     * the best so far (the JIT has nothing left to speed up), at most the cap.
     */
    private static final Duration WARM_UP_SLICE = Duration.ofSeconds(3);
    private static final Duration WARM_UP_CAP = Duration.ofSeconds(90);
    private static final double STEADY = 0.05;
    private static final int PLATEAU = 3;

    private final BenchServices services;
    private final JsonMapper mapper;
    private final Optional<Wrk> wrk;

    /** How the load was generated, each run's figures, and the size of the answer. */
    record Details(String loadGenerator, Runs runs, int responseBytes, Compression compression)
            implements BenchReport.ScenarioDetails {
    }

    /** A k=50 page sent plain, gzip- and zstd-compressed: its bytes on the wire and the max rate of each. */
    record Compression(String query, int plainBytes, int gzipBytes, int zstdBytes, LoadRun.Summary plainMax,
            LoadRun.Summary gzipMax, LoadRun.Summary zstdMax) {
    }

    record Runs(LoadRun.Summary queryApiMax, LoadRun.Summary bareMax, LoadRun.Summary queryApiHalf,
            LoadRun.Summary bareHalf) {
    }

    CachedSearchBenchmark(BenchServices services, JsonMapper mapper, Optional<Wrk> wrk) {
        this.services = services;
        this.wrk = wrk;
        this.mapper = mapper;
    }

    BenchFigures run(int connections, Duration duration) throws InterruptedException, IOException {
        URI search = services.query.uri("/api/v1/search?mode=hybrid&k=10&q="
                + ServiceHttp.encode("how to make a stock that gels"));
        Map<String, String> headers = services.query.headers();
        LoadGenerator docstream = new LoadGenerator(search, headers);
        docstream.once();
        Answer cached = docstream.once();
        JsonNode json = mapper.readTree(new String(cached.body(), StandardCharsets.UTF_8));
        if (cached.status() != 200 || !"l1".equals(json.path("cache").asString())) {
            throw new BenchException("the repeated search was not answered from L1 (status " + cached.status()
                    + ", cache '" + json.path("cache").asString("") + "')");
        }
        try (BareHttpServer bare = new BareHttpServer(cached.body(), cached.contentType(), connections)) {
            LoadGenerator anchor = new LoadGenerator(bare.url(search), headers);
            if (wrk.isPresent()) {
                services.out.println("  max-rate runs with wrk, half-rate runs with the built-in constant-rate"
                        + " generator");
            }
            services.out.printf(Locale.ROOT, "  %d connections, %d s per run (max rate after a warm-up until %d %d s"
                            + " runs in a row set no new high by %.0f%%, at most %d s; half rate after %d s), answer of"
                            + " %d bytes%n", connections, duration.toSeconds(), PLATEAU, WARM_UP_SLICE.toSeconds(),
                    STEADY * 100, WARM_UP_CAP.toSeconds(), warmUp(duration).toSeconds(), cached.body().length);
            LoadRun docstreamMax = max("query-api, max rate", docstream, search, headers, connections, duration);
            LoadRun bareMax = max("bare JDK server, max rate", anchor, bare.url(search), headers, connections,
                    duration);
            LoadRun docstreamHalf = measure("query-api, half its max rate", docstream, connections, duration,
                    docstreamMax.requestsPerSecond() / 2);
            LoadRun bareHalf = measure("bare JDK server, half its max rate", anchor, connections, duration,
                    bareMax.requestsPerSecond() / 2);
            if (docstreamMax.errors() + docstreamHalf.errors() > 0) {
                services.out.printf(Locale.ROOT, "  query-api errors: %d%n",
                        docstreamMax.errors() + docstreamHalf.errors());
            }
            double ratio = docstreamMax.requestsPerSecond() / bareMax.requestsPerSecond();
            double halfP99 = docstreamHalf.p99Millis();
            Compression compression = compression(headers, connections, duration);
            double gzipRate = compression.gzipMax().requestsPerSecond();
            double plainRate = compression.plainMax().requestsPerSecond();
            return new BenchFigures()
                    .anchored("L1-hit searches, max rate", docstreamMax.requestsPerSecond(), "req/s",
                            "bare JDK server, same bytes", bareMax.requestsPerSecond(), ">= 0.5",
                            BenchFigures.atLeast(ratio, 0.5))
                    .anchored("p50 at max rate", docstreamMax.p50Millis(), "ms",
                            "bare server p50 at max rate", bareMax.p50Millis(), null, null)
                    .anchored("p99 at max rate", docstreamMax.p99Millis(), "ms",
                            "bare server p99 at max rate", bareMax.p99Millis(), null, null)
                    .anchored("p99 at half the max rate", halfP99, "ms",
                            "bare server p99 at half its max rate", bareHalf.p99Millis(),
                            "<= 5 ms", BenchFigures.atMost(halfP99, 5))
                    .plain("p50 at half the max rate", docstreamHalf.p50Millis(), "ms")
                    .plain("errors", docstreamMax.errors() + docstreamHalf.errors(), "requests")
                    .compared("k=50 page on the wire, gzip", compression.gzipBytes(), "bytes",
                            "the same page uncompressed", compression.plainBytes(), "anchor / figure",
                            (double) compression.plainBytes() / compression.gzipBytes(), ">= 4x smaller",
                            BenchFigures.atLeast((double) compression.plainBytes() / compression.gzipBytes(), 4))
                    .compared("k=50 page on the wire, zstd", compression.zstdBytes(), "bytes",
                            "the same page uncompressed", compression.plainBytes(), "anchor / figure",
                            (double) compression.plainBytes() / compression.zstdBytes(), null, null)
                    .anchored("k=50 L1 hits, max rate, gzip", gzipRate, "req/s",
                            "the same page uncompressed, max rate", plainRate, ">= 0.9",
                            BenchFigures.atLeast(gzipRate / plainRate, 0.9))
                    .anchored("k=50 L1 hits, max rate, zstd", compression.zstdMax().requestsPerSecond(), "req/s",
                            "the same page uncompressed, max rate", plainRate, null, null)
                    .details(new Details((wrk.isPresent() ? "max rate: wrk" : "max rate: built-in (java sockets)")
                            + ", " + connections + " keep-alive connections; half rate: built-in, constant rate,"
                            + " latency from each request's intended send time (wrk2-style)",
                            new Runs(docstreamMax.summary(), bareMax.summary(), docstreamHalf.summary(),
                                    bareHalf.summary()), cached.body().length, compression));
        }
    }

    /**
     * A k=50 page from L1 as a client that accepts no coding, gzip or zstd receives it: the bytes of each, and each
     * loaded at the maximum rate the same way (the page is compressed once, so the rates should hardly differ).
     */
    private Compression compression(Map<String, String> headers, int connections, Duration duration)
            throws InterruptedException, IOException {
        String query = "how do I keep bread fresh";
        URI search = services.query.uri("/api/v1/search?mode=hybrid&k=50&q=" + ServiceHttp.encode(query));
        LoadGenerator plain = new LoadGenerator(search, headers);
        plain.once();
        Map<String, String> gzipHeaders = new java.util.LinkedHashMap<>(headers);
        gzipHeaders.put("Accept-Encoding", "gzip");
        Map<String, String> zstdHeaders = new java.util.LinkedHashMap<>(headers);
        zstdHeaders.put("Accept-Encoding", "zstd");
        LoadGenerator gzip = new LoadGenerator(search, gzipHeaders);
        LoadGenerator zstd = new LoadGenerator(search, zstdHeaders);
        int plainBytes = plain.once().body().length;
        int gzipBytes = gzip.once().body().length;
        int zstdBytes = zstd.once().body().length;
        services.out.printf(Locale.ROOT, "  k=50 page of %d bytes: %d with gzip, %d with zstd%n", plainBytes, gzipBytes,
                zstdBytes);
        LoadRun plainMax = max("k=50, uncompressed, max rate", plain, search, headers, connections, duration);
        LoadRun gzipMax = max("k=50, gzip, max rate", gzip, search, gzipHeaders, connections, duration);
        LoadRun zstdMax = max("k=50, zstd, max rate", zstd, search, zstdHeaders, connections, duration);
        return new Compression(query, plainBytes, gzipBytes, zstdBytes, plainMax.summary(), gzipMax.summary(),
                zstdMax.summary());
    }

    /** A closed-loop run at the maximum rate: with wrk when installed, else with the built-in generator. */
    private LoadRun max(String what, LoadGenerator generator, URI url, Map<String, String> headers, int connections,
            Duration duration) throws InterruptedException, IOException {
        if (wrk.isEmpty()) {
            return measure(what, generator, connections, duration, Double.NaN);
        }
        services.out.printf(Locale.ROOT, "  %s (wrk), warming up:", what);
        services.out.flush();
        // A JVM server reaches its steady rate only once the JIT compiled its hot path (tens of seconds on two
        // cores); the bare server is steady at once. Both are measured warm, as a long-running server is.
        long deadline = System.nanoTime() + WARM_UP_CAP.toNanos();
        double best = 0;
        int sinceBest = 0;
        while (System.nanoTime() < deadline && sinceBest < PLATEAU) {
            double rate = wrk.get().run(url.toString(), headers, connections, WARM_UP_SLICE).requestsPerSecond();
            services.out.printf(Locale.ROOT, " %.0f", rate);
            services.out.flush();
            if (rate > best * (1 + STEADY)) {
                best = rate;
                sinceBest = 0;
            } else {
                sinceBest++;
            }
        }
        services.out.print(" req/s; measuring ...");
        return report(wrk.get().run(url.toString(), headers, connections, duration));
    }

    private LoadRun measure(String what, LoadGenerator generator, int connections, Duration duration, double rate)
            throws InterruptedException {
        services.out.printf(Locale.ROOT, "  %s%s ...", what, Double.isNaN(rate) ? ""
                : String.format(Locale.ROOT, " (%.0f req/s)", rate));
        services.out.flush();
        if (Double.isNaN(rate)) {
            generator.closedLoop(connections, warmUp(duration));
            return report(LoadRun.of(generator.closedLoop(connections, duration)));
        }
        generator.constantRate(connections, rate, warmUp(duration));
        return report(LoadRun.of(generator.constantRate(connections, rate, duration)));
    }

    /** Two seconds, or the run's length when that is shorter. */
    private static Duration warmUp(Duration duration) {
        return duration.compareTo(WARM_UP) < 0 ? duration : WARM_UP;
    }

    private LoadRun report(LoadRun run) {
        services.out.printf(Locale.ROOT, " %.0f req/s, p50 %.3f ms, p99 %.3f ms%n", run.requestsPerSecond(),
                run.p50Millis(), run.p99Millis());
        return run;
    }
}
