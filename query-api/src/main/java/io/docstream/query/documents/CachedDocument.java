package io.docstream.query.documents;

/** A document read as cached: the document, or null for "there is no such document" (a negative entry). */
record CachedDocument(StoredDocument document) {
}
