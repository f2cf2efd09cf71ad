package io.docstream.ingest.documents;

import java.util.List;

/** The answer to an accepted batch: one entry per document, in request order. */
record AcceptedBatch(List<AcceptedDocument> documents) {
}
