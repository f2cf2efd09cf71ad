package io.docstream.indexer.indexing;

import io.docstream.platform.tracing.TraceContext;
import io.docstream.platform.tracing.Traces;
import io.docstream.schemas.events.DocumentKey;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The spans of one flush. Each document gets an {@code index document} span whose parent is the context its
 * command arrived in, so its trace goes on from the ingest request. The work a batch shares (embedding, the
 * PostgreSQL transaction, the index write) gets one span, parented to the first document's span and
 * linked to every document's span, so each document's trace leads to it. Without the agent every span is
 * a no-op that still carries the captured context, so the headers written with it continue the trace.
 */
final class FlushSpans implements AutoCloseable {

    static final AttributeKey<String> TENANT = AttributeKey.stringKey("docstream.tenant");
    static final AttributeKey<String> DOCUMENT_ID = AttributeKey.stringKey("docstream.document_id");
    static final AttributeKey<Long> VERSION = AttributeKey.longKey("docstream.version");
    static final AttributeKey<Long> CHUNK_COUNT = AttributeKey.longKey("docstream.chunk_count");
    static final AttributeKey<String> MODEL = AttributeKey.stringKey("docstream.model");

    private final Map<DocumentKey, Span> documents = new LinkedHashMap<>();

    private FlushSpans(List<PendingDocument> batch, String model) {
        for (PendingDocument document : batch) {
            documents.put(document.key(), Traces.span("index document")
                    .setParent(document.trace().asContext())
                    .setAttribute(TENANT, document.command().tenant())
                    .setAttribute(DOCUMENT_ID, document.command().documentId())
                    .setAttribute(VERSION, document.command().version())
                    .setAttribute(MODEL, model)
                    .startSpan());
        }
    }

    /** Starts the {@code index document} span of every document in {@code batch}. */
    static FlushSpans start(List<PendingDocument> batch, String model) {
        return new FlushSpans(batch, model);
    }

    /** Records how many chunks {@code document} was cut into. */
    void chunked(DocumentKey document, int chunks) {
        span(document).setAttribute(CHUNK_COUNT, (long) chunks);
    }

    /** Runs {@code work} in a span shared by the whole batch; {@code work} may add attributes to it. */
    <T> T inBatchSpan(String name, Attributes attributes, Function<Span, T> work) {
        SpanBuilder builder = Traces.span(name).setAllAttributes(attributes);
        documents.values().stream().findFirst()
                .ifPresent(first -> builder.setParent(Context.root().with(first)));
        documents.values().forEach(document -> builder.addLink(document.getSpanContext()));
        Span span = builder.startSpan();
        return Traces.inSpan(span, () -> work.apply(span));
    }

    /** Runs {@code work} with {@code document}'s span current, so what it writes continues that trace. */
    void inDocumentSpan(DocumentKey document, Runnable work) {
        try (Scope ignored = span(document).makeCurrent()) {
            work.run();
        }
    }

    /** The trace context of {@code document}'s span, for the headers of the record that announces it. */
    TraceContext context(DocumentKey document) {
        return TraceContext.of(Context.root().with(span(document)));
    }

    /** Marks every document's span as failed by {@code failure} (the batch did not go through). */
    void failed(Throwable failure) {
        documents.values().forEach(span -> Traces.failed(span, failure));
    }

    private Span span(DocumentKey document) {
        Span span = documents.get(document);
        if (span == null) {
            throw new IllegalArgumentException("not in this flush: " + document);
        }
        return span;
    }

    @Override
    public void close() {
        documents.values().forEach(Span::end);
    }
}
