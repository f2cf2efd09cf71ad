package io.docstream.platform.web;

import io.docstream.platform.tenancy.Scope;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Which scopes each API path needs, declared by every app as a bean. Every path under {@code /api/}
 * needs a key; the first matching rule names the scopes of which the key needs at least one, and an
 * API path no rule matches is refused, so a forgotten rule fails closed.
 */
public final class ApiAccessRules {

    static final String API_PREFIX = "/api/";

    private final List<Rule> rules;

    private ApiAccessRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether the path is guarded at all: the API is, actuator and OpenAPI documents are not. */
    static boolean isProtected(String path) {
        return path.startsWith(API_PREFIX);
    }

    /** The scopes of which the caller needs one, or empty when no rule covers the request. */
    Optional<Set<Scope>> requiredScopes(HttpServletRequest request) {
        // Asked by authentication and again by the rate limit: matched once per request.
        @SuppressWarnings("unchecked")
        Optional<Set<Scope>> matched = (Optional<Set<Scope>>) request.getAttribute(MATCHED_ATTRIBUTE);
        if (matched == null) {
            PathContainer path = PathContainer.parsePath(pathWithinApplication(request));
            matched = rules.stream()
                    .filter(rule -> rule.method() == null || rule.method().matches(request.getMethod()))
                    .filter(rule -> rule.pattern().matches(path))
                    .findFirst()
                    .map(Rule::anyOf);
            request.setAttribute(MATCHED_ATTRIBUTE, matched);
        }
        return matched;
    }

    private static final String MATCHED_ATTRIBUTE = ApiAccessRules.class.getName() + ".requiredScopes";

    static String pathWithinApplication(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    private record Rule(HttpMethod method, PathPattern pattern, Set<Scope> anyOf) {
    }

    public static final class Builder {

        private final PathPatternParser parser = new PathPatternParser();
        private final List<Rule> rules = new ArrayList<>();

        private Builder() {
        }

        /** Requests with {@code method} (any method when null) to {@code pattern} need one of {@code anyOf}. */
        public Builder require(HttpMethod method, String pattern, Scope first, Scope... more) {
            Objects.requireNonNull(pattern, "pattern");
            if (!pattern.startsWith(API_PREFIX)) {
                throw new IllegalArgumentException("access rules cover API paths only: " + pattern);
            }
            rules.add(new Rule(method, parser.parse(pattern), EnumSet.of(first, more)));
            return this;
        }

        public Builder require(String pattern, Scope first, Scope... more) {
            return require(null, pattern, first, more);
        }

        public ApiAccessRules build() {
            return new ApiAccessRules(rules);
        }
    }
}
