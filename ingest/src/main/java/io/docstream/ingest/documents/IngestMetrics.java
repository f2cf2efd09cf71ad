package io.docstream.ingest.documents;

import io.docstream.platform.web.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Counts document commands as their answers are written: {@code docstream.ingest.requests} with
 * {@code outcome=accepted, reason=none} per accepted document, and {@code outcome=rejected, reason=<problem slug>}
 * per refused one. Counting at the answer sees every refusal, including those decided before a controller ran
 * (malformed JSON, a body over the limit, a missing key); a refused batch counts each document it held when the
 * controller got as far as reading them, else one.
 */
@ControllerAdvice
final class IngestMetrics implements ResponseBodyAdvice<Object> {

    static final String METER = "docstream.ingest.requests";

    /** Set by the controller once it knows how many documents a request carries. */
    static final String DOCUMENT_COUNT = IngestMetrics.class.getName() + ".documents";

    private static final String COMMANDS_PATH = "/api/v1/documents";

    private final MeterRegistry meters;

    IngestMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    static void documentsInRequest(HttpServletRequest request, int count) {
        request.setAttribute(DOCUMENT_COUNT, count);
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
            Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
            ServerHttpResponse response) {
        if (isCommand(request)) {
            switch (body) {
                case AcceptedDocument ignored -> counter("accepted", "none").increment();
                case AcceptedBatch batch -> counter("accepted", "none").increment(batch.documents().size());
                case ProblemDetail problem -> counter("rejected", slug(problem)).increment(documents(request));
                case null, default -> {
                }
            }
        }
        return body;
    }

    private Counter counter(String outcome, String reason) {
        return Counter.builder(METER)
                .description("Document commands answered by ingest, by outcome and problem type")
                .tag("outcome", outcome)
                .tag("reason", reason)
                .register(meters);
    }

    private static boolean isCommand(ServerHttpRequest request) {
        String path = request.getURI().getPath();
        return !HttpMethod.GET.equals(request.getMethod()) && path.startsWith(COMMANDS_PATH)
                && !path.endsWith("/status");
    }

    private static int documents(ServerHttpRequest request) {
        if (request instanceof ServletServerHttpRequest servlet
                && servlet.getServletRequest().getAttribute(DOCUMENT_COUNT) instanceof Integer count && count > 0) {
            return count;
        }
        return 1;
    }

    private static String slug(ProblemDetail problem) {
        URI type = problem.getType();
        String value = type == null ? "" : type.toString();
        return value.startsWith(ProblemException.TYPE_BASE) ? value.substring(ProblemException.TYPE_BASE.length())
                : "http-" + problem.getStatus();
    }
}
