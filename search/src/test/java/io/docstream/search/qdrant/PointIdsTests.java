package io.docstream.search.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Expected ids computed independently with Python's {@code uuid} module:
 * <pre>
 * chunk = uuid.uuid5(uuid.NAMESPACE_URL, "urn:docstream:qdrant:chunk")
 * document = uuid.uuid5(uuid.NAMESPACE_URL, "urn:docstream:qdrant:document")
 * uuid.uuid5(chunk, "acme/kafka/0"), uuid.uuid5(document, "acme/kafka"), ...
 * </pre>
 */
class PointIdsTests {

    private static final UUID NAMESPACE_URL = UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

    @Test
    void derivesTheNamespacesFromTheirUrns() {
        assertThat(PointIds.uuid5(NAMESPACE_URL, "urn:docstream:qdrant:chunk")).isEqualTo(PointIds.CHUNK_NAMESPACE)
                .hasToString("9b7f2234-8608-5684-b1cf-6a977261a3f3");
        assertThat(PointIds.uuid5(NAMESPACE_URL, "urn:docstream:qdrant:document"))
                .isEqualTo(PointIds.DOCUMENT_NAMESPACE).hasToString("2680f07b-1414-5296-b277-4b87e275092a");
    }

    @Test
    void namesAChunkByTenantDocumentAndChunkIndex() {
        assertThat(PointIds.chunk("acme", "kafka", 0)).hasToString("19ed6cc4-c984-542a-8cf1-d534af306e59");
        assertThat(PointIds.chunk("acme", "kafka", 1)).hasToString("8cc0c9c3-9762-564b-b87b-da8d32c11ba7");
        assertThat(PointIds.chunk("globex", "kafka", 0)).hasToString("ec3dbe8e-f928-5134-a093-bfab7bb69bbc");
        assertThat(PointIds.chunk("acme", "doc/ü", 12)).hasToString("5c6d5230-5303-50db-a1f2-bf0e137d2211");
    }

    @Test
    void namesADocumentStatePointInItsOwnNamespace() {
        assertThat(PointIds.document("acme/kafka")).hasToString("dfff1703-bb6c-50b5-a9df-336faabea3ce");
        assertThat(PointIds.document("globex/kafka")).hasToString("eae17c35-a939-55a6-819f-ddd7876049b0");
        // the state of document "kafka/0" is not chunk 0 of document "kafka"
        assertThat(PointIds.document("acme/kafka/0")).isNotEqualTo(PointIds.chunk("acme", "kafka", 0));
    }

    @Test
    void makesVersionFiveRfcVariantIds() {
        UUID id = PointIds.chunk("acme", "kafka", 0);

        assertThat(id.version()).isEqualTo(5);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(PointIds.chunk("acme", "kafka", 0)).isEqualTo(id);
    }
}
