package io.docstream.platform.tracing;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * docstream's own spans, on the tracer of whatever {@link GlobalOpenTelemetry} holds: the agent's SDK
 * when it is attached, a no-op otherwise. The tracer is looked up on every use, not kept, so a test (or a
 * late-registered SDK) that replaces the global instance is honoured.
 */
public final class Traces {

    /** Instrumentation scope of every docstream span. */
    public static final String SCOPE = "io.docstream";

    private Traces() {
    }

    /** The tracer spans are built from. */
    public static Tracer tracer() {
        return GlobalOpenTelemetry.getTracer(SCOPE);
    }

    /** A span builder for {@code name}, child of the current context unless told otherwise. */
    public static SpanBuilder span(String name) {
        return tracer().spanBuilder(name);
    }

    /** Runs {@code work} in a new child span of the current context; a failure marks the span as an error. */
    public static <T> T inSpan(String name, Attributes attributes, Supplier<T> work) {
        return inSpan(span(name).setAllAttributes(attributes).startSpan(), work);
    }

    /** As {@link #inSpan(String, Attributes, Supplier)}; {@code work} may add attributes to the span it is given. */
    public static <T> T inSpan(String name, Attributes attributes, Function<Span, T> work) {
        Span span = span(name).setAllAttributes(attributes).startSpan();
        return inSpan(span, () -> work.apply(span));
    }

    /** Runs {@code work} with {@code span} current and ends the span afterwards, recording any failure. */
    public static <T> T inSpan(Span span, Supplier<T> work) {
        try (Scope ignored = span.makeCurrent()) {
            return work.get();
        } catch (RuntimeException | Error e) {
            failed(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    /**
     * The id of the trace current on this thread, or null. The agent puts {@code trace_id} only in each log
     * event's copy of the MDC, never in the MDC itself, so code must ask the span; a {@code trace_id} put in
     * the MDC by hand is the fallback.
     */
    public static String currentTraceId() {
        SpanContext current = Span.current().getSpanContext();
        return current.isValid() ? current.getTraceId() : MDC.get("trace_id");
    }

    /** Marks {@code span} as failed by {@code failure}. */
    public static void failed(Span span, Throwable failure) {
        span.recordException(failure);
        span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
    }
}
