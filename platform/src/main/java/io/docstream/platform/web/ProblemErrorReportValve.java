package io.docstream.platform.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatusCode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The servlet container's error report as problem details: requests Tomcat refuses before any filter or Spring
 * runs (an encoded {@code /} in the path, a malformed request line, headers over the size limit) got its HTML
 * status page; they get {@code application/problem+json} with the same {@code type} and {@code title} as every
 * other docstream problem, and the headers the security filter would have set. Installed as the host's error
 * report valve by {@link WebSupportConfiguration}.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatusCode code = HttpStatusCode.valueOf(status);
        String slug = ProblemDetailsAdvice.slugFor(code);
        ObjectNode problem = JSON.createObjectNode();
        problem.put("type", ProblemException.type(slug).toString());
        problem.put("title", ProblemDetailsAdvice.titleFor(slug));
        problem.put("status", status);
        problem.put("detail", code.is5xxServerError() ? "The server could not complete the request."
                : "The server refused the request before reading it: an encoded '/' or '\\' in the path, a malformed"
                        + " request line, or headers over the size limit.");
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("Cache-Control", "no-store");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(problem));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The connection is gone or the answer already started: nothing more can be said.
        }
    }
}
