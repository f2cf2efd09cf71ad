package io.docstream.platform.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.Map;

/**
 * A W3C trace context ({@code traceparent} and {@code tracestate}) as plain strings, for work that outlives
 * the context it belongs to: a command waiting in a batch store, a record forwarded from a punctuator.
 * {@link #NONE} stands for "no trace" (nothing was being traced, or the value predates tracing).
 */
public record TraceContext(String traceparent, String tracestate) {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    public static final TraceContext NONE = new TraceContext(null, null);

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    /** The trace context current on this thread, or {@link #NONE} when no valid span is current. */
    public static TraceContext current() {
        return of(Context.current());
    }

    /** The trace context of {@code context}'s span, or {@link #NONE} when it has no valid span. */
    public static TraceContext of(Context context) {
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return NONE;
        }
        Map<String, String> carrier = new HashMap<>();
        W3C.inject(context, carrier, Map::put);
        return new TraceContext(carrier.get(TRACEPARENT), carrier.get(TRACESTATE));
    }

    /** Whether this carries a trace to continue. */
    public boolean isPresent() {
        return traceparent != null && restore().isValid();
    }

    /** The remote span context this stands for, invalid for {@link #NONE} or a malformed traceparent. */
    public SpanContext restore() {
        return Span.fromContext(asContext()).getSpanContext();
    }

    /** A context whose parent is this trace context (the root context for {@link #NONE}). */
    public Context asContext() {
        if (traceparent == null) {
            return Context.root();
        }
        Map<String, String> carrier = tracestate == null
                ? Map.of(TRACEPARENT, traceparent)
                : Map.of(TRACEPARENT, traceparent, TRACESTATE, tracestate);
        return W3C.extract(Context.root(), carrier, MAP_GETTER);
    }

    /** The trace id, or empty for {@link #NONE}. */
    public String traceId() {
        return isPresent() ? restore().getTraceId() : "";
    }

    /** This as header values (only the ones present). */
    public Map<String, String> asHeaders() {
        if (!isPresent()) {
            return Map.of();
        }
        return tracestate == null || tracestate.isEmpty()
                ? Map.of(TRACEPARENT, traceparent)
                : Map.of(TRACEPARENT, traceparent, TRACESTATE, tracestate);
    }
}
