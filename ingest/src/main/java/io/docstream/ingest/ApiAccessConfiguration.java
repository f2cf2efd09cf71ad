package io.docstream.ingest;

import io.docstream.platform.tenancy.Scope;
import io.docstream.platform.web.ApiAccessRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Writes need the {@code ingest} scope; a document's status may also be read with a search key; the DLQ
 * admin API needs the {@code admin} scope.
 */
@Configuration(proxyBeanMethods = false)
class ApiAccessConfiguration {

    @Bean
    ApiAccessRules apiAccessRules() {
        return ApiAccessRules.builder()
                .require("/api/v1/documents/{id}/status", Scope.INGEST, Scope.SEARCH)
                .require("/api/v1/documents", Scope.INGEST)
                .require("/api/v1/documents:batch", Scope.INGEST)
                .require("/api/v1/documents/{id}", Scope.INGEST)
                .require("/api/v1/admin/dlq/**", Scope.ADMIN)
                .build();
    }
}
