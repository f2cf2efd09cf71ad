package io.docstream.query.documents;

import java.util.List;

/** The body of {@code GET /api/v1/documents}; {@code nextCursor} is null on the last page. */
record DocumentPage(List<DocumentSummary> documents, String nextCursor) {
}
