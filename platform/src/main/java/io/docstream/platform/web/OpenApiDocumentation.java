package io.docstream.platform.web;

import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description at {@code /v3/api-docs}: Bearer API keys as the security scheme, and the
 * caller's {@link ApiKeyPrincipal} (resolved from the key, never sent by the client) left out.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springdoc.core.utils.SpringDocUtils")
class OpenApiDocumentation {

    private static final String API_KEY_SCHEME = "apiKey";

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(ApiKeyPrincipal.class);
    }

    @Bean
    OpenAPI docstreamOpenApi(@Value("${spring.application.name:docstream}") String applicationName) {
        return new OpenAPI()
                .info(new Info().title(applicationName).description("docstream " + applicationName + " API")
                        .version("v1"))
                .components(new Components().addSecuritySchemes(API_KEY_SCHEME, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("A docstream API key; it decides the tenant.")))
                .addSecurityItem(new SecurityRequirement().addList(API_KEY_SCHEME));
    }
}
