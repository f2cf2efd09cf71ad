package io.docstream.platform.web.ratelimit;

import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.docstream.platform.tenancy.Scope;
import io.docstream.platform.web.ProblemException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits authenticated API requests per key and endpoint class, after authentication. The class is the scope
 * the path needs that the key holds ({@code ingest}, {@code search} or {@code admin}; the first in that order
 * when a path accepts several). Every limited path's answer says the policy and what is left in the IETF
 * headers ({@code RateLimit-Policy: "search";q=20000;w=1}, {@code RateLimit: "search";r=19999;t=1}, where
 * {@code t} is the seconds until the whole budget is back); a request over the limit is answered 429
 * {@code rate-limited} with {@code Retry-After}. For a request granted from this instance's lease (a busy key, see
 * {@link RateLimiter}) {@code r} and {@code t} are estimates from Redis's last answer, blind to what other
 * instances spent since.
 */
public final class RateLimitFilter extends OncePerRequestFilter {

    /** The problem {@code type} slug of a refused request. */
    public static final String RATE_LIMITED = "rate-limited";
    static final String POLICY_HEADER = "RateLimit-Policy";
    static final String LIMIT_HEADER = "RateLimit";

    /** Answers a request with a problem, as the other filters do. */
    @FunctionalInterface
    public interface ProblemSender {
        void send(HttpServletRequest request, HttpServletResponse response, Exception problem);
    }

    private final RateLimiter limiter;
    private final Function<HttpServletRequest, Optional<Set<Scope>>> requiredScopes;
    private final Function<HttpServletRequest, ApiKeyPrincipal> principals;
    private final ProblemSender problems;

    /**
     * @param requiredScopes the scopes of which a request's path needs one (the app's access rules)
     * @param principals     the authenticated caller of a request, null when it has none
     */
    public RateLimitFilter(RateLimiter limiter, Function<HttpServletRequest, Optional<Set<Scope>>> requiredScopes,
            Function<HttpServletRequest, ApiKeyPrincipal> principals, ProblemSender problems) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.requiredScopes = Objects.requireNonNull(requiredScopes, "requiredScopes");
        this.principals = Objects.requireNonNull(principals, "principals");
        this.problems = Objects.requireNonNull(problems, "problems");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ApiKeyPrincipal principal = principals.apply(request);
        Optional<Scope> endpointClass = principal == null ? Optional.empty() : endpointClass(request, principal);
        if (endpointClass.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        Scope scope = endpointClass.get();
        RateLimitProperties.Limit limit = limiter.limit(scope);
        RateLimitDecision decision = limiter.acquire(principal.keyId(), scope);
        String policy = "\"" + scope.value() + "\";q=" + limit.requests() + ";w=" + limit.windowSeconds();
        String remaining = "\"" + scope.value() + "\";r=" + decision.remaining() + ";t="
                + ceilSeconds(decision.reset().toNanos());
        if (decision.allowed()) {
            response.setHeader(POLICY_HEADER, policy);
            response.setHeader(LIMIT_HEADER, remaining);
            chain.doFilter(request, response);
            return;
        }
        long retryAfter = Math.max(1, ceilSeconds(decision.retryAfter().toNanos()));
        ProblemException problem = new ProblemException(HttpStatus.TOO_MANY_REQUESTS, RATE_LIMITED,
                "Too many requests", "This API key made more than " + limit.requests() + " " + scope.value()
                        + " requests in " + limit.windowSeconds() + " s; retry after " + retryAfter + " s.");
        problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        problem.getHeaders().set(POLICY_HEADER, policy);
        problem.getHeaders().set(LIMIT_HEADER, remaining);
        problems.send(request, response, problem);
    }

    private Optional<Scope> endpointClass(HttpServletRequest request, ApiKeyPrincipal principal) {
        Set<Scope> required = requiredScopes.apply(request).orElse(Set.of());
        for (Scope scope : Scope.values()) {
            if (required.contains(scope) && principal.has(scope)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }

    private static long ceilSeconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
