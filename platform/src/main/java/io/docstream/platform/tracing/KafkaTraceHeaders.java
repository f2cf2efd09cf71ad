package io.docstream.platform.tracing;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A {@link TraceContext} in Kafka record headers, under the W3C names the OpenTelemetry agent uses, so a
 * record written outside any traced context (from a punctuator, say) still continues its document's trace.
 */
public final class KafkaTraceHeaders {

    private KafkaTraceHeaders() {
    }

    /** The trace context in {@code headers}, or {@link TraceContext#NONE}. */
    public static TraceContext read(Headers headers) {
        if (headers == null) {
            return TraceContext.NONE;
        }
        String traceparent = value(headers, TraceContext.TRACEPARENT);
        if (traceparent == null) {
            return TraceContext.NONE;
        }
        TraceContext context = new TraceContext(traceparent, value(headers, TraceContext.TRACESTATE));
        return context.isPresent() ? context : TraceContext.NONE;
    }

    /**
     * Replaces the trace headers in {@code headers} with {@code context}'s; leaves them as they are when
     * {@code context} is {@link TraceContext#NONE}. Returns {@code headers}.
     */
    public static Headers write(Headers headers, TraceContext context) {
        Map<String, String> values = context.asHeaders();
        if (values.isEmpty()) {
            return headers;
        }
        headers.remove(TraceContext.TRACEPARENT);
        headers.remove(TraceContext.TRACESTATE);
        values.forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    private static String value(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
