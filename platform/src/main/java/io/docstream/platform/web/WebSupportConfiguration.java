package io.docstream.platform.web;

import io.docstream.platform.redis.Redis;
import io.docstream.platform.tenancy.ApiKeyCache;
import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.docstream.platform.tenancy.ApiKeys;
import io.docstream.platform.web.ratelimit.RateLimitFilter;
import io.docstream.platform.web.ratelimit.RateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.List;
import org.jooq.DSLContext;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import java.time.Duration;
import org.springframework.util.unit.DataSize;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * What every docstream HTTP service shares: problem-details errors, security headers, bounded
 * request bodies, API-key authentication and rate limits per key (shared through Redis when the app has it,
 * else per instance). An app gets it by declaring an {@link ApiAccessRules} bean saying which scope each of its
 * paths needs.
 */
// Before Boot's error handling, so that its error controller steps aside for the problem-details one.
@AutoConfiguration(before = ErrorMvcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean(ApiAccessRules.class)
@EnableConfigurationProperties(WebSupportProperties.class)
@Import(OpenApiDocumentation.class)
public class WebSupportConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ApiKeys apiKeys(DSLContext dsl) {
        return new ApiKeys(dsl);
    }

    @Bean
    ProblemDetailsAdvice problemDetailsAdvice() {
        return new ProblemDetailsAdvice();
    }

    @Bean
    ProblemErrorController problemErrorController() {
        return new ProblemErrorController();
    }

    @Bean
    FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
        FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    /** Errors the container answers before any filter runs are problem details too ({@link ProblemErrorReportValve}). */
    @Bean
    TomcatContextCustomizer problemErrorReportValve() {
        return context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        };
    }

    @Bean
    ResponseCompression responseCompression(@Value("${server.compression.enabled:false}") boolean enabled,
            @Value("${server.compression.min-response-size:2KB}") DataSize minResponseSize) {
        return new ResponseCompression(enabled, Math.toIntExact(minResponseSize.toBytes()));
    }

    @Bean
    FilterRegistrationBean<ZstdResponseFilter> zstdResponseFilter(ResponseCompression compression) {
        FilterRegistrationBean<ZstdResponseFilter> registration =
                new FilterRegistrationBean<>(new ZstdResponseFilter(compression));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 7);
        return registration;
    }

    @Bean
    FilterRegistrationBean<SecurityHeadersFilter> securityHeadersFilter() {
        FilterRegistrationBean<SecurityHeadersFilter> registration =
                new FilterRegistrationBean<>(new SecurityHeadersFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /**
     * Answers CORS preflights and marks cross-origin answers for the configured origins only, ahead of authentication
     * (a preflight carries no key). Browsers send the key as a header, never a cookie, so credentials stay off.
     */
    @Bean
    FilterRegistrationBean<CorsFilter> corsFilter(WebSupportProperties properties) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(properties.corsAllowedOrigins());
        cors.setAllowedMethods(List.of("GET", "POST", "PUT", "DELETE"));
        cors.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, HttpHeaders.IF_MATCH,
                HttpHeaders.IF_NONE_MATCH, HttpHeaders.CACHE_CONTROL, ConsistencyTokens.HEADER));
        cors.setExposedHeaders(List.of(HttpHeaders.ETAG, HttpHeaders.RETRY_AFTER, RequestIdFilter.HEADER));
        cors.setAllowCredentials(false);
        cors.setMaxAge(Duration.ofMinutes(10));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration(ApiAccessRules.API_PREFIX + "**", cors);
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(new CorsFilter(source));
        registration.setEnabled(!properties.corsAllowedOrigins().isEmpty());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 15);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(WebSupportProperties properties,
            BeanFactory beanFactory) {
        FilterRegistrationBean<RequestSizeLimitFilter> registration = new FilterRegistrationBean<>(
                new RequestSizeLimitFilter(properties.maxRequestSize().toBytes(), problemResponses(beanFactory)));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    @Bean
    FilterRegistrationBean<ApiKeyAuthenticationFilter> apiKeyAuthenticationFilter(ApiKeys apiKeys,
            ApiAccessRules apiAccessRules, WebSupportProperties properties, BeanFactory beanFactory) {
        FilterRegistrationBean<ApiKeyAuthenticationFilter> registration = new FilterRegistrationBean<>(
                new ApiKeyAuthenticationFilter(new ApiKeyCache(apiKeys, properties.apiKeyCacheTtl()), apiAccessRules,
                        problemResponses(beanFactory)));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 30);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(ApiAccessRules apiAccessRules,
            WebSupportProperties properties, ObjectProvider<Redis> redis, ObjectProvider<MeterRegistry> meters,
            BeanFactory beanFactory) {
        RateLimiter limiter = new RateLimiter(properties.rateLimit(), redis.getIfAvailable(),
                meters.getIfAvailable(() -> Metrics.globalRegistry));
        ProblemResponses problems = problemResponses(beanFactory);
        FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(new RateLimitFilter(limiter,
                apiAccessRules::requiredScopes,
                request -> (ApiKeyPrincipal) request.getAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE),
                problems::send));
        registration.setEnabled(properties.rateLimit().enabled());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 40);
        return registration;
    }

    @Bean
    WebMvcConfigurer apiKeyPrincipalArgumentResolver() {
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(new ApiKeyPrincipalArgumentResolver());
            }
        };
    }

    private static ProblemResponses problemResponses(BeanFactory beanFactory) {
        // Looked up per use: the MVC infrastructure is created after the servlet filters.
        return new ProblemResponses(() -> beanFactory.getBean("handlerExceptionResolver", HandlerExceptionResolver.class));
    }
}
