/**
 * Custom spans and trace context that outlives a thread (a batch flushed later, a record forwarded from a
 * punctuator). Everything goes through {@link io.opentelemetry.api.GlobalOpenTelemetry}: the OpenTelemetry
 * Java agent installs its SDK there; without the agent it is a no-op and costs next to nothing.
 */
package io.docstream.platform.tracing;
