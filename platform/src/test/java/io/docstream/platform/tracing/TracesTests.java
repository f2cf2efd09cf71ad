package io.docstream.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TracesTests {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aCapturedContextParentsASpanStartedLaterElsewhere() {
        try (RecordedSpans spans = RecordedSpans.install()) {
            TraceContext captured = Traces.inSpan("receive", Attributes.empty(), TraceContext::current);

            Span later = Traces.span("flush").setParent(captured.asContext()).startSpan();
            later.end();

            SpanData receive = spans.only("receive");
            SpanData flush = spans.only("flush");
            assertThat(captured.traceId()).isEqualTo(receive.getTraceId());
            assertThat(flush.getTraceId()).isEqualTo(receive.getTraceId());
            assertThat(flush.getParentSpanId()).isEqualTo(receive.getSpanId());
        }
    }

    @Test
    void withoutTheAgentSpansCostNothingAndStillCarryTheParentContext() {
        GlobalOpenTelemetry.resetForTest();
        TraceContext parent = new TraceContext(TRACEPARENT, null);

        Span span = Traces.span("index document").setParent(parent.asContext()).startSpan();

        assertThat(span.isRecording()).isFalse();
        assertThat(TraceContext.of(parent.asContext().with(span)).traceId()).isEqualTo(parent.traceId());
        assertThat(Traces.inSpan("noop", Attributes.empty(), () -> "done")).isEqualTo("done");
        assertThat(TraceContext.current()).isEqualTo(TraceContext.NONE);
    }

    @Test
    void aFailureMarksTheSpanAndPropagates() {
        try (RecordedSpans spans = RecordedSpans.install()) {
            assertThatThrownBy(() -> Traces.inSpan("embed batch", Attributes.empty(), () -> {
                throw new IllegalStateException("model down");
            })).hasMessage("model down");

            assertThat(spans.only("embed batch").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        }
    }

    @Test
    void kafkaHeadersCarryTheContextAndReplaceAStaleOne() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(TraceContext.TRACEPARENT, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
                .getBytes(StandardCharsets.UTF_8));

        KafkaTraceHeaders.write(headers, new TraceContext(TRACEPARENT, "vendor=value"));

        assertThat(headers.headers(TraceContext.TRACEPARENT)).hasSize(1);
        assertThat(KafkaTraceHeaders.read(headers)).isEqualTo(new TraceContext(TRACEPARENT, "vendor=value"));
        assertThat(KafkaTraceHeaders.read(new RecordHeaders())).isEqualTo(TraceContext.NONE);
        RecordHeaders garbage = new RecordHeaders();
        garbage.add(TraceContext.TRACEPARENT, "not a traceparent".getBytes(StandardCharsets.UTF_8));
        assertThat(KafkaTraceHeaders.read(garbage)).isEqualTo(TraceContext.NONE);
    }

    @Test
    void theCurrentTraceIdComesFromTheSpanNotFromTheMdc() {
        try (RecordedSpans spans = RecordedSpans.install()) {
            Span span = Traces.span("request").startSpan();
            try (Scope ignored = span.makeCurrent()) {
                assertThat(Traces.currentTraceId()).isEqualTo(span.getSpanContext().getTraceId());
            } finally {
                span.end();
            }
        }
        MDC.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
        try {
            assertThat(Traces.currentTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        } finally {
            MDC.remove("trace_id");
        }
        assertThat(Traces.currentTraceId()).isNull();
    }
}
