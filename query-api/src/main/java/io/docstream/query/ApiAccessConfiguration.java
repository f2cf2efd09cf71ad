package io.docstream.query;

import io.docstream.platform.tenancy.Scope;
import io.docstream.platform.web.ApiAccessRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Any key may ask who it is ({@code /api/v1/me}); search and document reads need the {@code search} scope; the audit trail, the status report, key management,
 * search analytics and the cache settings need {@code admin}; tenant administration needs {@code operator}.
 */
@Configuration(proxyBeanMethods = false)
class ApiAccessConfiguration {

    @Bean
    ApiAccessRules apiAccessRules() {
        return ApiAccessRules.builder()
                .require("/api/v1/search", Scope.SEARCH)
                .require("/api/v1/documents", Scope.SEARCH)
                .require("/api/v1/documents/{id}", Scope.SEARCH)
                .require("/api/v1/documents/{id}/chunks", Scope.SEARCH)
                .require("/api/v1/me", Scope.SEARCH, Scope.INGEST, Scope.ADMIN, Scope.OPERATOR)
                .require("/api/v1/audit", Scope.ADMIN)
                .require("/api/v1/admin/status", Scope.ADMIN)
                .require("/api/v1/admin/keys", Scope.ADMIN)
                .require("/api/v1/admin/keys/{id}", Scope.ADMIN)
                .require("/api/v1/admin/analytics/queries", Scope.ADMIN)
                .require("/api/v1/admin/analytics/summary", Scope.ADMIN)
                .require("/api/v1/admin/cache", Scope.ADMIN)
                .require("/api/v1/admin/tenants", Scope.OPERATOR)
                .require("/api/v1/admin/tenants/{id}/disable", Scope.OPERATOR)
                .require("/api/v1/admin/tenants/{id}/enable", Scope.OPERATOR)
                .build();
    }
}
