package io.docstream.platform.web.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.platform.tenancy.Scope;
import io.docstream.platform.web.WebSupportProperties;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class RateLimitPropertiesTests {

    @Test
    void defaultsAreFarAboveNormalUse() {
        RateLimitProperties properties = bind(Map.of()).rateLimit();

        assertThat(properties.enabled()).isTrue();
        assertThat(properties.redisTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(properties.limit(Scope.SEARCH)).isEqualTo(new RateLimitProperties.Limit(20_000, Duration.ofSeconds(1), 20_000));
        assertThat(properties.limit(Scope.INGEST)).isEqualTo(new RateLimitProperties.Limit(1_000, Duration.ofSeconds(1), 1_000));
        assertThat(properties.limit(Scope.ADMIN)).isEqualTo(new RateLimitProperties.Limit(50, Duration.ofSeconds(1), 50));
        assertThat(properties.leaseMax()).isEqualTo(64);
        assertThat(properties.leaseTtl()).isEqualTo(Duration.ofMillis(250));
        assertThat(properties).isEqualTo(RateLimitProperties.defaults());
    }

    @Test
    void aLeaseHoldsAtMostLeaseMaxAndATwentiethOfTheBurst() {
        RateLimitProperties defaults = RateLimitProperties.defaults();
        assertThat(defaults.leaseCap(defaults.search())).isEqualTo(64);
        assertThat(defaults.leaseCap(defaults.ingest())).isEqualTo(50);
        assertThat(defaults.leaseCap(defaults.admin())).isEqualTo(2);
        assertThat(defaults.leaseCap(new RateLimitProperties.Limit(5, Duration.ofSeconds(10), 5))).isOne();

        RateLimitProperties tuned = bind(Map.of("docstream.web.rate-limit.lease-max", "8",
                "docstream.web.rate-limit.lease-ttl", "1s")).rateLimit();
        assertThat(tuned.leaseCap(tuned.search())).isEqualTo(8);
        assertThat(tuned.leaseTtl()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aClassCanBeTunedPartly() {
        RateLimitProperties properties = bind(Map.of(
                "docstream.web.rate-limit.search.requests", "5",
                "docstream.web.rate-limit.search.period", "10s",
                "docstream.web.rate-limit.admin.burst", "80")).rateLimit();

        assertThat(properties.limit(Scope.SEARCH)).isEqualTo(new RateLimitProperties.Limit(5, Duration.ofSeconds(10), 5));
        assertThat(properties.limit(Scope.ADMIN)).isEqualTo(new RateLimitProperties.Limit(50, Duration.ofSeconds(1), 80));
        assertThat(properties.limit(Scope.SEARCH).intervalMicros()).isEqualTo(2_000_000);
        assertThat(properties.limit(Scope.SEARCH).windowSeconds()).isEqualTo(10);
    }

    @Test
    void nonsensicalLimitsFailAtStart() {
        assertThatThrownBy(() -> bind(Map.of("docstream.web.rate-limit.ingest.requests", "0")))
                .hasRootCauseMessage("docstream.web.rate-limit.ingest.requests must be at least 1");
        assertThatThrownBy(() -> bind(Map.of("docstream.web.rate-limit.lease-max", "0")))
                .hasRootCauseMessage("docstream.web.rate-limit.lease-max must be at least 1");
        assertThatThrownBy(() -> bind(Map.of("docstream.web.rate-limit.lease-ttl", "0s")))
                .hasRootCauseMessage("docstream.web.rate-limit.lease-ttl must be positive");
    }

    private static WebSupportProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("docstream.web", WebSupportProperties.class);
    }
}
