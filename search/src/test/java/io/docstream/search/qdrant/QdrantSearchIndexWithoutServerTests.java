package io.docstream.search.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.search.IndexQuery;
import io.docstream.search.IndexWrite;
import io.docstream.search.IndexedChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the adapter does before and without a server: it is built without one (the gRPC channel is
 * lazy), checks what it can locally, and reports an unreachable server as an I/O failure naming it.
 */
class QdrantSearchIndexWithoutServerTests {

    private static final IndexQuery QUERY = new IndexQuery("acme", 5, Map.of());

    private int closedPort;
    private QdrantSearchIndex index;

    @BeforeEach
    void openOnAPortNobodyListensOn() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        index = new QdrantSearchIndex(settings(closedPort, "secret"), "model-a", 3);
    }

    @AfterEach
    void close() {
        index.close();
    }

    @Test
    void isBuiltWithoutContactingTheServer() {
        assertThat(index.name()).isEqualTo("qdrant");
        assertThat(index.modelId()).isEqualTo("model-a");
        assertThat(index.collectionName("model-a", "1")).isEqualTo("chunks__model-a__1");
        assertThat(index.toString()).contains("localhost:" + closedPort).doesNotContain("secret");
    }

    @Test
    void answersWhatNeedsNoServerLocally() {
        assertThat(index.write(List.of())).isEmpty();
        assertThat(index.searchKeyword(QUERY, "the of *:*")).isEmpty();
        assertThatIllegalArgumentException().isThrownBy(() -> index.searchDense(QUERY, new float[] { 1, 0 }));
        assertThatIllegalStateException().isThrownBy(() -> index.write(List.of(new IndexWrite.Replace("acme", "doc", 1,
                "T", "x", Map.of(), "model-b", List.of(new IndexedChunk(0, "x", "h", new float[] { 1, 0, 0 }))))))
                .withMessageContaining("'model-a'").withMessageContaining("'model-b'");
    }

    @Test
    void reportsAnUnreachableServerAsAnIoFailureNamingIt() {
        assertThatThrownBy(() -> index.countDocuments("acme")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("localhost:" + closedPort).hasMessageContaining("alias chunks");
        // a failed start is tried again on the next call
        assertThatThrownBy(() -> index.searchKeyword(QUERY, "kafka")).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void refusesUseOnceClosed() {
        index.close();
        index.close();

        assertThatIllegalStateException().isThrownBy(() -> index.searchKeyword(QUERY, "kafka"));
        assertThatIllegalStateException().isThrownBy(() -> index.write(List.of()));
        assertThatIllegalStateException().isThrownBy(() -> index.aliasTarget());
    }

    @Test
    void validatesItsSettings() {
        assertThatIllegalArgumentException().isThrownBy(() -> new QdrantSettings("localhost", 6334, false, "",
                Duration.ofSeconds(1), "a__b", "1", List.of())).withMessageContaining("'__'");
        assertThatIllegalArgumentException().isThrownBy(() -> new QdrantSettings("localhost", 0, false, "",
                Duration.ofSeconds(1), "a", "1", List.of()));
        assertThatIllegalArgumentException().isThrownBy(() -> new QdrantSettings("localhost", 6334, false, "",
                Duration.ZERO, "a", "1", List.of()));
        assertThat(new QdrantSettings("localhost", 6334, false, null, Duration.ofSeconds(1), "a", "1", null))
                .satisfies(settings -> {
                    assertThat(settings.apiKey()).isEmpty();
                    assertThat(settings.indexedMetadataKeys()).isEmpty();
                });
    }

    private static QdrantSettings settings(int port, String apiKey) {
        return new QdrantSettings("localhost", port, false, apiKey, Duration.ofSeconds(2), "chunks", "1", List.of());
    }
}
