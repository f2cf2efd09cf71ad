package io.docstream.schemas.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DocumentKeyTests {

    @Test
    void formatsAsTenantSlashDocumentId() {
        assertThat(new DocumentKey("acme", "handbook-7")).hasToString("acme/handbook-7");
    }

    @Test
    void parsesWhatItFormats() {
        DocumentKey key = new DocumentKey("acme_2", "Report.2026:Q3-final");

        assertThat(DocumentKey.parse(key.toString())).isEqualTo(key);
    }

    @Test
    void commandsAndIndexedEventsExposeTheirKey() {
        Instant now = Instant.now();
        DocumentKey key = new DocumentKey("acme", "doc-1");

        assertThat(new DeleteDocument("acme", "doc-1", 1, now).key()).isEqualTo(key);
        assertThat(new DocumentIndexed("acme", "doc-1", 1, null, 0, true, null, null, now).key()).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "/doc", "doc/"})
    void rejectsASlashInTheDocumentId(String documentId) {
        assertThatIllegalArgumentException().isThrownBy(() -> new DocumentKey("acme", documentId));
    }

    @Test
    void rejectsAKeyWhoseDocumentIdHoldsASlash() {
        assertThatIllegalArgumentException().isThrownBy(() -> DocumentKey.parse("acme/reports/q3"));
    }

    @Test
    void rejectsAKeyWithoutSlash() {
        assertThatIllegalArgumentException().isThrownBy(() -> DocumentKey.parse("acme-doc-1"))
                .withMessageContaining("acme-doc-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Acme", "-acme", "ac me", "acme.io", "a123456789012345678901234567890123456789012345678901234567890123"})
    void rejectsBadTenants(String tenant) {
        assertThatIllegalArgumentException().isThrownBy(() -> new DocumentKey(tenant, "doc-1"))
                .withMessageContaining("tenant");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-doc", "doc 1", "doc#1"})
    void rejectsBadDocumentIds(String documentId) {
        assertThatIllegalArgumentException().isThrownBy(() -> new DocumentKey("acme", documentId))
                .withMessageContaining("document id");
    }

    @Test
    void acceptsTheLongestTenantAndDocumentId() {
        String tenant = "a".repeat(63);
        String documentId = "d".repeat(128);

        assertThat(DocumentKey.parse(tenant + "/" + documentId)).isEqualTo(new DocumentKey(tenant, documentId));
        assertThatIllegalArgumentException().isThrownBy(() -> new DocumentKey(tenant, documentId + "d"));
    }

    @Test
    void requiresBothParts() {
        assertThatNullPointerException().isThrownBy(() -> new DocumentKey(null, "doc-1"));
        assertThatNullPointerException().isThrownBy(() -> new DocumentKey("acme", null));
    }
}
