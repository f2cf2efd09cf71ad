package io.docstream.platform.web;

import io.docstream.platform.web.ratelimit.RateLimitProperties;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * HTTP limits shared by the services.
 *
 * @param maxRequestSize largest request body accepted; larger ones are answered 413
 * @param apiKeyCacheTtl how long a live API key is trusted without asking PostgreSQL again; a revocation takes
 *        effect within it ({@code 0s}: every request asks)
 * @param rateLimit      requests per API key and endpoint class ({@code docstream.web.rate-limit.*})
 * @param corsAllowedOrigins origins (as {@code http://localhost:8080}) whose pages may call this service's API from a
 *        browser with a key of their own (CORS, no cookies): the web console's origin on ingest; empty, no other origin
 */
@ConfigurationProperties("docstream.web")
public record WebSupportProperties(@DefaultValue("10MB") DataSize maxRequestSize,
        @DefaultValue("10s") Duration apiKeyCacheTtl, RateLimitProperties rateLimit, List<String> corsAllowedOrigins) {

    public WebSupportProperties {
        if (maxRequestSize == null || maxRequestSize.toBytes() < 1) {
            throw new IllegalArgumentException("docstream.web.max-request-size must be positive");
        }
        if (apiKeyCacheTtl == null || apiKeyCacheTtl.isNegative()) {
            throw new IllegalArgumentException("docstream.web.api-key-cache-ttl must not be negative");
        }
        if (rateLimit == null) {
            rateLimit = RateLimitProperties.defaults();
        }
        corsAllowedOrigins = corsAllowedOrigins == null ? List.of() : List.copyOf(corsAllowedOrigins);
        for (String origin : corsAllowedOrigins) {
            if (!origin.matches("https?://[^/\\s*]+")) {
                throw new IllegalArgumentException("docstream.web.cors-allowed-origins must list origins as "
                        + "scheme://host[:port], was '" + origin + "'");
            }
        }
    }
}
