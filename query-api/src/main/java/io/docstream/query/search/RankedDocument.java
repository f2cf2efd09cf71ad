package io.docstream.query.search;

import io.docstream.search.IndexHit;

/**
 * A document in a ranking, with the chunk its snippet comes from: the best dense chunk, the best keyword chunk
 * once snippets are picked, or null when none is known.
 */
record RankedDocument(String documentId, String title, long version, double score, IndexHit chunk) {

    RankedDocument withChunk(IndexHit snippetChunk) {
        return new RankedDocument(documentId, title, version, score, snippetChunk);
    }

    RankedDocument withScore(double fusedScore) {
        return new RankedDocument(documentId, title, version, fusedScore, chunk);
    }
}
