package io.docstream.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.function.Supplier;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Lets servlet filters answer with a problem: the exception goes through MVC's exception resolvers,
 * so a 401 from a filter looks exactly like a 400 from a controller.
 */
public final class ProblemResponses {

    private final Supplier<HandlerExceptionResolver> resolver;

    /** {@code resolver}: looked up per use, since MVC's infrastructure is created after the servlet filters. */
    public ProblemResponses(Supplier<HandlerExceptionResolver> resolver) {
        this.resolver = resolver;
    }

    public void send(HttpServletRequest request, HttpServletResponse response, Exception problem) {
        if (resolver.get().resolveException(request, response, null, problem) == null) {
            throw new IllegalStateException("no exception resolver handled " + problem.getClass().getName(), problem);
        }
    }
}
