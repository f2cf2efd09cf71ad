package io.docstream.query;

import static io.docstream.schemas.db.Tables.DOCUMENTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.ZstdInputStream;
import io.docstream.platform.tenancy.Scope;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP layer of the cache, as a client sees it: validators on document reads and search pages, 304 for a
 * client that already holds the answer, caching headers that keep tenant data out of shared caches, and gzip or
 * zstd for clients that accept them (cached pages compressed once).
 */
class HttpCachingIntegrationTests extends QueryApiTestSupport {

    private static final String TENANT = "http-caching";
    private static final String KEY = createKey(TENANT, Scope.SEARCH);
    private static boolean seeded;

    @BeforeEach
    void seedOnce() {
        if (seeded) {
            return;
        }
        seed(TENANT, "glacier", "Glaciers", "A glacier is a persistent body of dense ice that moves under its own weight.",
                Map.of(), 1);
        for (int i = 0; i < 30; i++) {
            seed(TENANT, "ice-" + i, "Ice report " + i, "Sea ice report number " + i + " describes the ice sheet, the"
                    + " glacier tongues and the icebergs calving into the fjord this week.", Map.of(), 1);
        }
        seeded = true;
    }

    @Test
    void aDocumentReadCarriesAValidatorAndAnswers304WhileItsVersionIsCurrent() throws Exception {
        HttpResponse<String> first = get("/api/v1/documents/glacier", KEY);
        String tag = first.headers().firstValue("ETag").orElseThrow();

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(tag).matches("\"[A-Za-z0-9_-]+\"");
        assertThat(first.headers().allValues("Cache-Control")).containsExactly("private, max-age=0, must-revalidate");
        assertThat(first.headers().firstValue("Vary").orElseThrow()).contains("Authorization");

        HttpResponse<String> revalidated = get("/api/v1/documents/glacier", KEY, "If-None-Match", tag);
        assertThat(revalidated.statusCode()).isEqualTo(304);
        assertThat(revalidated.body()).isEmpty();
        assertThat(revalidated.headers().firstValue("ETag")).hasValue(tag);
        assertThat(get("/api/v1/documents/glacier", KEY, "If-None-Match", "\"other\", " + tag).statusCode())
                .as("any tag of the list").isEqualTo(304);
        assertThat(get("/api/v1/documents/glacier", KEY, "If-None-Match", "*").statusCode()).isEqualTo(304);

        // The indexer writes version 2; the invalidator evicts the cached document.
        DATABASE.dsl().update(DOCUMENTS).set(DOCUMENTS.VERSION, 2L).set(DOCUMENTS.BODY, "Its second version.")
                .where(DOCUMENTS.TENANT_ID.eq(TENANT), DOCUMENTS.DOCUMENT_ID.eq("glacier")).execute();
        invalidate(TENANT, "glacier");
        HttpResponse<String> changed = get("/api/v1/documents/glacier", KEY, "If-None-Match", tag);
        assertThat(changed.statusCode()).as("a new version is a new representation").isEqualTo(200);
        assertThat(changed.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(tag);
        assertThat(json(changed).get("version").asLong()).isEqualTo(2);
    }

    @Test
    void aSearchPageAnswers304UntilItsResultsChange() throws Exception {
        String path = "/api/v1/search?mode=keyword&k=5&q=" + encode("glacier tongues");
        HttpResponse<String> first = get(path, KEY);
        String tag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(tag).as("weak: cache and tookMs differ between equal answers").startsWith("W/\"");

        assertThat(get(path, KEY, "If-None-Match", tag).statusCode()).isEqualTo(304);
        assertThat(get(path.replace("k=5", "k=6"), KEY, "If-None-Match", tag).statusCode())
                .as("another request is another page").isEqualTo(200);
        assertThat(get("/api/v1/search?mode=keyword&k=5&q=" + encode("icebergs"), KEY, "If-None-Match", tag)
                .statusCode()).isEqualTo(200);
    }

    @Test
    void aMalformedIfNoneMatchIsAProblemNotAMiss() throws Exception {
        for (String malformed : new String[] { "abc", "\"unterminated", "W/abc", "\"a\" \"b\"" }) {
            HttpResponse<String> answer = get("/api/v1/documents/glacier", KEY, "If-None-Match", malformed);
            assertThat(answer.statusCode()).as(malformed).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
    }

    @Test
    void largeAnswersAreGzippedForClientsThatAcceptIt() throws Exception {
        String path = "/api/v1/search?mode=keyword&k=30&q=" + encode("ice report");
        HttpResponse<String> plain = get(path, KEY, "Cache-Control", "no-cache");
        HttpResponse<byte[]> gzipped = bytes(path, "Accept-Encoding", "gzip", "Cache-Control", "no-cache");

        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(gzipped.headers().firstValue("Content-Encoding")).as("the controller's answer").hasValue("gzip");
        String unzipped = gunzip(gzipped.body());
        assertThat(JSON.readTree(unzipped).get("results")).hasSize(30);
        assertThat(gzipped.body().length).as("bytes on the wire").isLessThan(plain.body().getBytes(StandardCharsets.UTF_8).length / 3);
    }

    @Test
    void aCachedPageIsSentCompressedInTheCodingTheClientPrefers() throws Exception {
        String path = "/api/v1/search?mode=keyword&k=30&q=" + encode("icebergs calving");
        HttpResponse<String> plain = get(path, KEY);
        String l1Plain = get(path, KEY).body();
        assertThat(JSON.readTree(l1Plain).path("cache").asString()).isEqualTo("l1");

        for (String acceptEncoding : new String[] { "gzip", "gzip, deflate, br, zstd", "zstd;q=0.5, gzip" }) {
            HttpResponse<byte[]> first = bytes(path, "Accept-Encoding", acceptEncoding);
            HttpResponse<byte[]> second = bytes(path, "Accept-Encoding", acceptEncoding);
            String coding = acceptEncoding.endsWith("zstd") ? "zstd" : "gzip";
            for (HttpResponse<byte[]> answer : java.util.List.of(first, second)) {
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.headers().firstValue("Content-Encoding")).as(acceptEncoding).hasValue(coding);
                assertThat(answer.headers().firstValue("Vary").orElseThrow()).contains("Accept-Encoding");
                assertThat(answer.headers().firstValue("ETag")).isEqualTo(plain.headers().firstValue("ETag"));
                String decoded = coding.equals("zstd") ? unzstd(answer.body()) : gunzip(answer.body());
                assertThat(JSON.readTree(decoded).path("cache").asString()).as("an L1 hit").isEqualTo("l1");
                assertThat(withoutTook(decoded)).isEqualTo(withoutTook(l1Plain));
                assertThat(answer.body().length).isLessThan(l1Plain.length() / 3);
            }
        }
        assertThat(get(path, KEY, "Accept-Encoding", "br").headers().firstValue("Content-Encoding"))
                .as("a coding docstream does not send").isEmpty();
    }

    @Test
    void clientsThatPreferZstdGetZstdFromEveryAnswer() throws Exception {
        String path = "/api/v1/search?mode=keyword&k=30&q=" + encode("sea ice sheet");
        HttpResponse<String> plain = get(path, KEY, "Cache-Control", "no-cache");
        HttpResponse<byte[]> zstd = bytes(path, "Accept-Encoding", "zstd", "Cache-Control", "no-cache");

        assertThat(zstd.headers().firstValue("Content-Encoding")).as("the controller's answer").hasValue("zstd");
        assertThat(zstd.headers().firstValue("Content-Length")).isEmpty();
        assertThat(withoutTook(unzstd(zstd.body()))).isEqualTo(withoutTook(plain.body()));
        assertThat(zstd.body().length).isLessThan(plain.body().getBytes(StandardCharsets.UTF_8).length / 3);

        HttpResponse<byte[]> small = bytes("/api/v1/documents/glacier", "Accept-Encoding", "zstd");
        assertThat(small.headers().firstValue("Content-Encoding")).as("under the size threshold").isEmpty();
        assertThat(small.headers().firstValue("ETag").orElseThrow()).as("a strong tag stays strong").startsWith("\"");
        HttpResponse<byte[]> problem = bytes("/api/v1/search?k=0&q=x", "Accept-Encoding", "zstd");
        assertThat(problem.statusCode()).isEqualTo(400);
        assertThat(new String(problem.body(), StandardCharsets.UTF_8)).contains("\"status\":400");
    }

    @Test
    void aLargeDocumentReadSentAsZstdCarriesAWeakTagThatStillRevalidates() throws Exception {
        seed(TENANT, "long-ice", "A long ice report", "The ice sheet moved again. ".repeat(200), Map.of(), 1);
        HttpResponse<byte[]> zstd = bytes("/api/v1/documents/long-ice", "Accept-Encoding", "zstd");
        String strong = get("/api/v1/documents/long-ice", KEY).headers().firstValue("ETag").orElseThrow();

        assertThat(zstd.headers().firstValue("Content-Encoding")).hasValue("zstd");
        assertThat(zstd.headers().firstValue("ETag")).as("the bytes are no longer the representation's")
                .hasValue("W/" + strong);
        assertThat(JSON.readTree(unzstd(zstd.body())).path("body").asString()).startsWith("The ice sheet moved");
        assertThat(bytes("/api/v1/documents/long-ice", "Accept-Encoding", "zstd", "If-None-Match", "W/" + strong)
                .statusCode()).isEqualTo(304);
    }

    private HttpResponse<byte[]> bytes(String path, String... headers) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + KEY).headers(headers).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** An answer without its {@code tookMs}, which differs from one request to the next. */
    private static String withoutTook(String json) {
        return json.replaceAll("\"tookMs\":\\d+", "\"tookMs\":0");
    }

    private static String unzstd(byte[] body) throws IOException {
        try (ZstdInputStream in = new ZstdInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
