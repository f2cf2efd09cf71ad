package io.docstream.indexer.indexing;

import java.util.List;

/**
 * What the indexer last applied for one document: the version guard compares against
 * {@code version}, and {@code chunkHashes} tell the next version which chunks changed.
 */
record DocumentState(long version, boolean deleted, List<String> chunkHashes) {

    DocumentState {
        chunkHashes = chunkHashes == null ? List.of() : List.copyOf(chunkHashes);
    }
}
