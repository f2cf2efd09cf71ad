package io.docstream.search.qdrant;

import java.util.regex.Pattern;

/**
 * The payload fields and vector names of a docstream collection. Chunk points carry the chunk; one state
 * point per document ({@code kind = document}) carries the document's whole-text BM25 vector and the version
 * guard, and survives a delete as a tombstone (without vectors).
 */
final class PayloadKeys {

    static final String DENSE_VECTOR = "dense";
    /** BM25 terms of a chunk, on chunk points: picks a document's snippet. */
    static final String SPARSE_VECTOR = "bm25";
    /** BM25 terms of the whole document, on its state point: document-level keyword retrieval. */
    static final String DOCUMENT_SPARSE_VECTOR = "bm25_document";

    static final String KIND = "kind";
    static final String KIND_CHUNK = "chunk";
    static final String KIND_DOCUMENT = "document";
    static final String TENANT = "tenant";
    static final String DOCUMENT_ID = "document_id";
    static final String CHUNK_INDEX = "chunk_index";
    static final String CHUNK_HASH = "chunk_hash";
    static final String CHUNK_COUNT = "chunk_count";
    static final String VERSION = "version";
    static final String DELETED = "deleted";
    static final String TITLE = "title";
    static final String TEXT = "text";
    static final String MODEL = "model";
    static final String METADATA = "metadata";

    /** Keys Qdrant's JSON path syntax takes without quotes. */
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    private PayloadKeys() {
    }

    /**
     * The JSON path of a metadata value: {@code metadata.team}, or {@code metadata."a.b"} when the key
     * holds characters the path syntax reserves. Qdrant's quoted keys cannot hold {@code "} or
     * {@code \}, so such keys cannot be filtered on.
     */
    static String metadataPath(String key) {
        if (key == null || key.isEmpty() || key.indexOf('"') >= 0 || key.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("Metadata key '" + key + "' cannot be used in a Qdrant filter: it must be "
                    + "non-empty and hold neither '\"' nor '\\'");
        }
        return METADATA + "." + (PLAIN_KEY.matcher(key).matches() ? key : "\"" + key + "\"");
    }
}
