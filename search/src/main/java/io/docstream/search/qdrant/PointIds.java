package io.docstream.search.qdrant;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Deterministic point ids (RFC 9562 UUIDv5, SHA-1 name-based), so a retried or replayed write lands on
 * the same points. A chunk's id is the UUIDv5 of {@code "tenant/documentId/chunkIndex"} under
 * {@link #CHUNK_NAMESPACE}; a document's state point (version guard and tombstone) is the UUIDv5 of
 * {@code "tenant/documentId"} under {@link #DOCUMENT_NAMESPACE}, a namespace of its own so that no
 * document id can make a state id equal a chunk id.
 */
final class PointIds {

    /** {@code uuid5(NAMESPACE_URL, "urn:docstream:qdrant:chunk")}. */
    static final UUID CHUNK_NAMESPACE = UUID.fromString("9b7f2234-8608-5684-b1cf-6a977261a3f3");

    /** {@code uuid5(NAMESPACE_URL, "urn:docstream:qdrant:document")}. */
    static final UUID DOCUMENT_NAMESPACE = UUID.fromString("2680f07b-1414-5296-b277-4b87e275092a");

    private PointIds() {
    }

    static UUID chunk(String tenant, String documentId, int chunkIndex) {
        return uuid5(CHUNK_NAMESPACE, tenant + "/" + documentId + "/" + chunkIndex);
    }

    /** The state point of the document with key {@code tenant/documentId}. */
    static UUID document(String documentKey) {
        return uuid5(DOCUMENT_NAMESPACE, documentKey);
    }

    static UUID uuid5(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform provides SHA-1", e);
        }
        sha1.update(ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits()).array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bytes.getLong(), bytes.getLong());
    }
}
