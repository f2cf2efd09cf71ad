package io.docstream.query.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The console's Content-Security-Policy: scripts and styles from query-api's own origin only (no inline script,
 * style or event handler), requests to query-api and the configured ingest, no frames, forms, plugins or base tag.
 */
final class ConsolePolicyFilter extends OncePerRequestFilter {

    private final String policy;

    ConsolePolicyFilter(String ingestOrigin) {
        this.policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                + "connect-src 'self' " + ingestOrigin + "; base-uri 'none'; form-action 'none'; "
                + "frame-ancestors 'none'";
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Content-Security-Policy", policy);
        chain.doFilter(request, response);
    }
}
