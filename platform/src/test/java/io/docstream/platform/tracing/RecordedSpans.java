package io.docstream.platform.tracing;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real OpenTelemetry tracer SDK installed as {@link GlobalOpenTelemetry} for one test, keeping every
 * ended span in memory: what the agent would export, without the agent. Close it to put the no-op back.
 */
public final class RecordedSpans implements AutoCloseable {

    private final List<SpanData> spans = new CopyOnWriteArrayList<>();
    private final SdkTracerProvider provider;

    private RecordedSpans() {
        this.provider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(new SpanExporter() {
                    @Override
                    public CompletableResultCode export(Collection<SpanData> batch) {
                        spans.addAll(batch);
                        return CompletableResultCode.ofSuccess();
                    }

                    @Override
                    public CompletableResultCode flush() {
                        return CompletableResultCode.ofSuccess();
                    }

                    @Override
                    public CompletableResultCode shutdown() {
                        return CompletableResultCode.ofSuccess();
                    }
                }))
                .build();
    }

    /** Installs a recording SDK as the global OpenTelemetry, replacing whatever was there. */
    public static RecordedSpans install() {
        RecordedSpans recorded = new RecordedSpans();
        GlobalOpenTelemetry.resetForTest();
        GlobalOpenTelemetry.set(new OpenTelemetry() {
            @Override
            public io.opentelemetry.api.trace.TracerProvider getTracerProvider() {
                return recorded.provider;
            }

            @Override
            public ContextPropagators getPropagators() {
                return ContextPropagators.create(W3CTraceContextPropagator.getInstance());
            }
        });
        return recorded;
    }

    /** Every span ended so far, in the order they ended. */
    public List<SpanData> all() {
        return List.copyOf(spans);
    }

    /** The spans called {@code name}, in the order they ended. */
    public List<SpanData> named(String name) {
        return spans.stream().filter(span -> span.getName().equals(name)).toList();
    }

    /** The only span called {@code name}; fails when there is none or more than one. */
    public SpanData only(String name) {
        List<SpanData> found = named(name);
        if (found.size() != 1) {
            throw new NoSuchElementException("expected one span '" + name + "', found " + found.size() + " in "
                    + spans.stream().map(SpanData::getName).toList());
        }
        return found.getFirst();
    }

    /** Forgets the spans recorded so far. */
    public void clear() {
        spans.clear();
    }

    @Override
    public void close() {
        provider.close();
        GlobalOpenTelemetry.resetForTest();
    }
}
