package io.docstream.cli.trace;

import io.docstream.cli.trace.OtlpReceiver.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** The spans of one trace id, with the parent links between them walked by span id. */
final class Trace {

    private final String traceId;
    private final Map<String, ReceivedSpan> byId = new LinkedHashMap<>();

    Trace(String traceId, List<ReceivedSpan> spans) {
        this.traceId = traceId;
        spans.stream().filter(span -> span.traceId().equals(traceId)).forEach(span -> byId.put(span.spanId(), span));
    }

    List<ReceivedSpan> spans() {
        return List.copyOf(byId.values());
    }

    List<ReceivedSpan> spans(Predicate<ReceivedSpan> filter) {
        return byId.values().stream().filter(filter).toList();
    }

    Optional<ReceivedSpan> first(Predicate<ReceivedSpan> filter) {
        return byId.values().stream().filter(filter).findFirst();
    }

    /** The span's parent, then its grandparent and so on, as far as the links lead to received spans. */
    List<ReceivedSpan> ancestors(ReceivedSpan span) {
        List<ReceivedSpan> ancestors = new ArrayList<>();
        ReceivedSpan current = span;
        while (!current.isRoot() && byId.containsKey(current.parentSpanId()) && ancestors.size() <= byId.size()) {
            current = byId.get(current.parentSpanId());
            ancestors.add(current);
        }
        return ancestors;
    }

    boolean descendsFrom(ReceivedSpan span, ReceivedSpan ancestor) {
        return ancestors(span).stream().anyMatch(candidate -> candidate.spanId().equals(ancestor.spanId()));
    }

    /** The chain from the span up to where its links end, for failure messages. */
    String chain(ReceivedSpan span) {
        List<ReceivedSpan> chain = new ArrayList<>();
        chain.add(span);
        chain.addAll(ancestors(span));
        String path = chain.stream().map(ReceivedSpan::toString).collect(Collectors.joining("\n    <- "));
        ReceivedSpan top = chain.getLast();
        return path + (top.isRoot() ? "" : "\n    <- " + top.parentSpanId() + " (not received)");
    }

    @Override
    public String toString() {
        return "trace " + traceId + ":\n  " + byId.values().stream().map(ReceivedSpan::toString)
                .collect(Collectors.joining("\n  "));
    }

    static Predicate<ReceivedSpan> named(String service, String name) {
        return span -> span.service().equals(service) && span.name().equals(name);
    }

    static Predicate<ReceivedSpan> kind(String service, SpanKind kind) {
        return span -> span.service().equals(service) && span.kind() == kind;
    }
}
