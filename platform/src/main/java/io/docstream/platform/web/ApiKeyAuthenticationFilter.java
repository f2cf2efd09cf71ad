package io.docstream.platform.web;

import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.docstream.platform.tenancy.ApiKeyCache;
import io.docstream.platform.tenancy.Scope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <key>} on API paths (through {@link ApiKeyCache}, so a key seen
 * recently costs no database round trip) and checks the path's scope. The
 * principal travels as a request attribute, read back by {@link ApiKeyPrincipalArgumentResolver}.
 */
public final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    static final String PRINCIPAL_ATTRIBUTE = ApiKeyPrincipal.class.getName();

    /** The caller this filter authenticated for the request; null when it has none (a public path). */
    public static ApiKeyPrincipal principal(HttpServletRequest request) {
        return (ApiKeyPrincipal) request.getAttribute(PRINCIPAL_ATTRIBUTE);
    }

    private static final Logger log = LoggerFactory.getLogger(ApiKeyAuthenticationFilter.class);
    private static final String BEARER = "bearer ";

    private final ApiKeyCache apiKeys;
    private final ApiAccessRules rules;
    private final ProblemResponses problems;

    ApiKeyAuthenticationFilter(ApiKeyCache apiKeys, ApiAccessRules rules, ProblemResponses problems) {
        this.apiKeys = apiKeys;
        this.rules = rules;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !ApiAccessRules.isProtected(ApiAccessRules.pathWithinApplication(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> key = bearerKey(request);
        if (key.isEmpty()) {
            problems.send(request, response, ProblemException.unauthorized(
                    "An API key is required: send 'Authorization: Bearer <key>'.", false));
            return;
        }
        Optional<ApiKeyPrincipal> principal;
        try {
            principal = apiKeys.authenticate(key.get());
        } catch (RuntimeException e) {
            log.warn("could not check an API key: {}", e.toString());
            problems.send(request, response, ProblemException.serviceUnavailable(
                    "API keys cannot be checked right now; retry later.", Duration.ofSeconds(5), e));
            return;
        }
        if (principal.isEmpty()) {
            problems.send(request, response, ProblemException.unauthorized("The API key is not valid.", true));
            return;
        }
        Set<Scope> required = rules.requiredScopes(request).orElse(Set.of());
        if (Collections.disjoint(required, principal.get().scopes())) {
            problems.send(request, response, ProblemException.forbidden(required.isEmpty()
                    ? "No API key may use this endpoint."
                    : "The API key lacks the scope this endpoint needs: one of "
                            + required.stream().map(Scope::value).sorted().collect(Collectors.joining(", ")) + "."));
            return;
        }
        request.setAttribute(PRINCIPAL_ATTRIBUTE, principal.get());
        chain.doFilter(request, response);
    }

    private static Optional<String> bearerKey(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        String key = header.substring(BEARER.length()).strip();
        return key.isEmpty() ? Optional.empty() : Optional.of(key);
    }
}
