package io.docstream.platform.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.health.contributor.Health;

/**
 * Runs one dependency probe with a deadline and reports it the way every docstream indicator does: UP with the
 * probe's details, or DOWN with the error, and in both cases {@code latencyMs}. The probe runs on a virtual
 * thread, so a dependency that hangs (a connection pool waiting for a dead database) costs the health endpoint
 * the deadline, not the pool's own timeout. The search and embedding modules' indicators use it too.
 */
public final class DependencyCheck {

    /** What a probe found out about a healthy dependency (shown as details), or an exception. */
    @FunctionalInterface
    public interface Probe {
        Map<String, Object> run() throws Exception;
    }

    private static final Executor PROBES = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("health-probe-", 0).factory());

    private DependencyCheck() {
    }

    public static Health run(Duration timeout, Probe probe) {
        Objects.requireNonNull(timeout, "timeout");
        long started = System.nanoTime();
        CompletableFuture<Map<String, Object>> result = CompletableFuture.supplyAsync(() -> {
            try {
                return probe.run();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new ProbeFailedException(e);
            }
        }, PROBES);
        try {
            Map<String, Object> details = result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Health.up().withDetails(withLatency(details, started)).build();
        } catch (TimeoutException e) {
            result.cancel(true);
            return down(started, "no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return down(started, describe(cause(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down(started, "interrupted");
        }
    }

    private static Health down(long started, String error) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("error", error);
        return Health.down().withDetails(withLatency(details, started)).build();
    }

    private static Map<String, Object> withLatency(Map<String, Object> details, long started) {
        Map<String, Object> all = new LinkedHashMap<>(details == null ? Map.of() : details);
        all.put("latencyMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return all;
    }

    private static Throwable cause(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof ExecutionException || current instanceof ProbeFailedException
                || current instanceof CompletionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** The exception's type and message: what an operator needs, and never a value the probe sent. */
    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getName()
                : failure.getClass().getName() + ": " + message;
    }

    private static final class ProbeFailedException extends RuntimeException {
        ProbeFailedException(Exception cause) {
            super(cause);
        }
    }
}
