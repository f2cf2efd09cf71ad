package io.docstream.indexer;

import io.docstream.platform.tenancy.Scope;
import io.docstream.platform.web.ApiAccessRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The indexer's API is the operator's: replays and reindexes need the {@code admin} scope. */
@Configuration(proxyBeanMethods = false)
class ApiAccessConfiguration {

    @Bean
    ApiAccessRules apiAccessRules() {
        return ApiAccessRules.builder()
                .require("/api/v1/admin/replay", Scope.ADMIN)
                .require("/api/v1/admin/reindex", Scope.ADMIN)
                .require("/api/v1/admin/reindex/{action}", Scope.ADMIN)
                .build();
    }
}
