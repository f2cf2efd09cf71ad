package io.docstream.embedding.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.platform.resilience.CallPolicy;
import io.docstream.platform.resilience.RemoteCalls;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP embedder against a real HTTP server speaking the embeddings protocol, healthy and failing. */
class HttpEmbedderTests {

    private FakeEmbeddingService service;
    private RemoteCalls remoteCalls;

    @BeforeEach
    void start() throws Exception {
        service = new FakeEmbeddingService();
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void embedsInBatchesInOrderWithPrefixesAndTheKeyAndNormalisesTheVectors() {
        HttpEmbedder embedder = embedder(new HttpEmbeddingProperties(service.url(), "sk-test",
                FakeEmbeddingService.DIMENSIONS, 256, 2, "query: ", "passage: "), policy -> { });
        List<String> texts = List.of("alpha", "beta", "gamma", "delta", "epsilon");

        List<float[]> vectors = embedder.embedDocuments(texts);
        float[] query = embedder.embedQuery("alpha");

        assertThat(embedder.modelId()).isEqualTo("http:e5-small");
        assertThat(service.requests()).extracting(FakeEmbeddingService.Request::inputs).containsExactly(
                List.of("passage: alpha", "passage: beta"), List.of("passage: gamma", "passage: delta"),
                List.of("passage: epsilon"), List.of("query: alpha"));
        assertThat(service.requests()).allSatisfy(request -> {
            assertThat(request.authorization()).isEqualTo("Bearer sk-test");
            assertThat(request.model()).isEqualTo("e5-small");
        });
        for (int i = 0; i < texts.size(); i++) {
            assertThat(vectors.get(i)).containsExactly(
                    unit(FakeEmbeddingService.rawVector("passage: " + texts.get(i), 4)), within());
        }
        assertThat(query).containsExactly(unit(FakeEmbeddingService.rawVector("query: alpha", 4)), within());
        assertThat(query).isNotEqualTo(vectors.getFirst());
    }

    @Test
    void retriesTransientFailuresWithGrowingPausesAndThenSucceeds() {
        HttpEmbedder embedder = embedder(properties(), policy -> {
            policy.setMaxAttempts(4);
            policy.setBackoff(Duration.ofMillis(40));
        });
        service.fail(3, 503);

        float[] vector = embedder.embedQuery("retry me");

        assertThat(vector).containsExactly(unit(FakeEmbeddingService.rawVector("retry me", 4)), within());
        List<FakeEmbeddingService.Request> requests = service.requests();
        assertThat(requests).hasSize(4);
        List<Long> pausesMillis = IntStream.range(1, requests.size())
                .mapToObj(i -> (requests.get(i).nanos() - requests.get(i - 1).nanos()) / 1_000_000)
                .toList();
        // 40 ms, 80 ms, 160 ms, each drawn within ±50 %: never shorter than half, and growing overall.
        assertThat(pausesMillis.get(0)).isGreaterThanOrEqualTo(20);
        assertThat(pausesMillis.get(1)).isGreaterThanOrEqualTo(40);
        assertThat(pausesMillis.get(2)).isGreaterThanOrEqualTo(80);
    }

    @Test
    void givesUpAfterTheLastAttemptWithAnUnavailableFailure() {
        HttpEmbedder embedder = embedder(properties(), policy -> policy.setMaxAttempts(2));
        service.fail(5, 429);

        assertThatThrownBy(() -> embedder.embedQuery("busy"))
                .isInstanceOf(EmbeddingUnavailableException.class).hasMessageContaining("HTTP 429");
        assertThat(service.requests()).hasSize(2);
    }

    @Test
    void aRejectedTextIsNeitherRetriedNorCountedAgainstTheService() {
        HttpEmbedder embedder = embedder(properties(), policy -> {
            policy.setMaxAttempts(3);
            policy.setMinimumCalls(2);
            policy.setSlidingWindow(2);
        });
        service.fail(4, 400);

        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> embedder.embedQuery("too odd"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HTTP 400");
        }

        assertThat(service.requests()).hasSize(4);
        assertThat(breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(embedder.embedQuery("fine")).hasSize(4);
    }

    @Test
    void theBreakerOpensAfterRepeatedFailuresAndThenRefusesWithoutCallingTheService() {
        HttpEmbedder embedder = embedder(properties(), policy -> {
            policy.setMaxAttempts(1);
            policy.setMinimumCalls(4);
            policy.setSlidingWindow(4);
            policy.setOpenFor(Duration.ofMinutes(1));
        });
        service.fail(100, 502);
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> embedder.embedQuery("down")).isInstanceOf(EmbeddingUnavailableException.class);
        }
        int reached = service.requests().size();

        assertThatThrownBy(() -> embedder.embedDocuments(List.of("a", "b")))
                .isInstanceOf(EmbeddingUnavailableException.class).hasMessageContaining("not called for now");
        assertThat(service.requests()).hasSize(reached);
        assertThat(breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void aServiceSlowerThanTheTimeoutIsAFailureNotAWait() throws Exception {
        HttpEmbedder embedder = embedder(properties(), policy -> {
            policy.setTimeout(Duration.ofMillis(300));
            policy.setMaxAttempts(1);
        });
        CountDownLatch gate = service.hold();
        long start = System.nanoTime();
        try {
            assertThatThrownBy(() -> embedder.embedQuery("slow"))
                    .isInstanceOf(EmbeddingUnavailableException.class).hasMessageContaining("did not answer");
        } finally {
            gate.countDown();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void theBulkheadBoundsConcurrentCallsAndRefusesTheRest() throws Exception {
        HttpEmbedder embedder = embedder(properties(), policy -> {
            policy.setMaxConcurrent(2);
            policy.setMaxWait(Duration.ZERO);
            policy.setMaxAttempts(1);
        });
        CountDownLatch gate = service.hold();
        ExecutorService callers = Executors.newFixedThreadPool(4);
        List<Future<float[]>> calls = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                String text = "held " + i;
                calls.add(callers.submit(() -> embedder.embedQuery(text)));
            }
            while (service.requests().size() < 2) {
                Thread.sleep(10);
            }
            assertThatThrownBy(() -> embedder.embedQuery("third")).isInstanceOf(EmbeddingUnavailableException.class)
                    .hasMessageContaining("not called for now");
        } finally {
            gate.countDown();
            callers.shutdown();
        }
        for (Future<float[]> call : calls) {
            assertThat(call.get()).hasSize(4);
        }
        assertThat(service.mostInFlight()).isEqualTo(2);
        assertThat(service.requests()).hasSize(2);
    }

    @Test
    void vectorsOfAnotherLengthThanConfiguredAreRefused() {
        HttpEmbedder embedder = embedder(properties(), policy -> { });
        service.answerDimensions(3);

        assertThatThrownBy(() -> embedder.embedQuery("short")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("answered 3 dimensions");
    }

    @Test
    void settingsThatCannotReachAModelStopTheStart() {
        assertThatThrownBy(() -> embedder(new HttpEmbeddingProperties(null, null, 4, 512, 32, "", ""), p -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("docstream.embedding.http.url");
        assertThatThrownBy(() -> embedder(new HttpEmbeddingProperties(URI.create("http://localhost:1/v1/embeddings"),
                null, 0, 512, 32, "", ""), p -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("dimensions");
    }

    private HttpEmbeddingProperties properties() {
        return new HttpEmbeddingProperties(service.url(), null, FakeEmbeddingService.DIMENSIONS, 512, 32, "", "");
    }

    private HttpEmbedder embedder(HttpEmbeddingProperties properties, Consumer<CallPolicy> settings) {
        CallPolicy policy = RemoteCalls.defaults(RemoteCalls.EMBEDDER);
        policy.setBackoff(Duration.ofMillis(10));
        settings.accept(policy);
        remoteCalls = new RemoteCalls(name -> policy, null);
        return new HttpEmbedder("http:e5-small", properties,
                remoteCalls.call(RemoteCalls.EMBEDDER, HttpEmbedder::transientFailure), HttpClient.newHttpClient());
    }

    private CircuitBreaker breaker() {
        return remoteCalls.call(RemoteCalls.EMBEDDER, HttpEmbedder::transientFailure).breaker();
    }

    private static float[] unit(float[] raw) {
        double sum = 0;
        for (float value : raw) {
            sum += value * value;
        }
        float[] unit = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            unit[i] = (float) (raw[i] / Math.sqrt(sum));
        }
        return unit;
    }

    private static org.assertj.core.data.Offset<Float> within() {
        return org.assertj.core.data.Offset.offset(1e-5f);
    }
}
