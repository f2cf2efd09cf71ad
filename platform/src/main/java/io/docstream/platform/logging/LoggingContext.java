package io.docstream.platform.logging;

import io.docstream.platform.tenancy.ApiKeyPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.slf4j.MDC;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Puts the caller's {@value #TENANT} and, for paths naming one, the {@value #DOCUMENT_ID} into the logging
 * context (MDC) of a request, and takes both out when the request completes, error handling included. Code
 * that learns the document id later (a create without an id) puts it itself; this interceptor removes it.
 * Structured logs carry both as fields; trace and span ids come from the OpenTelemetry agent.
 */
public final class LoggingContext implements HandlerInterceptor {

    public static final String TENANT = "tenant";
    public static final String DOCUMENT_ID = "documentId";

    /** Where the API key filter leaves the authenticated caller (the principal's class name). */
    private static final String PRINCIPAL_ATTRIBUTE = ApiKeyPrincipal.class.getName();
    private static final String ID_VARIABLE = "id";

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (request.getAttribute(PRINCIPAL_ATTRIBUTE) instanceof ApiKeyPrincipal principal) {
            MDC.put(TENANT, principal.tenant());
        }
        if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables
                && variables.get(ID_VARIABLE) instanceof String id) {
            MDC.put(DOCUMENT_ID, id);
        }
        return true;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
            Exception failure) {
        MDC.remove(TENANT);
        MDC.remove(DOCUMENT_ID);
    }
}
