package io.docstream.core.tenancy;

import java.util.EnumSet;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Creates a deployment's first tenant and registers its all-scopes API key on start, so a fresh
 * production stack can be used before anyone has run a key command. The key itself comes from a
 * secret ({@code DOCSTREAM_BOOTSTRAP_API_KEY_FILE}); only its display prefix is ever logged. Safe to
 * run in several services and on every start: an existing tenant or key is left as it is.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("docstream.bootstrap.tenant")
@EnableConfigurationProperties(TenantBootstrap.Properties.class)
public class TenantBootstrap {

    private static final Logger log = LoggerFactory.getLogger(TenantBootstrap.class);
    static final String KEY_NAME = "bootstrap";

    @Bean
    ApplicationRunner tenantBootstrapRunner(DSLContext dsl, Properties properties) {
        return new Runner(new ApiKeys(dsl), properties);
    }

    /**
     * {@code docstream.bootstrap.*}.
     *
     * @param tenant the tenant to create on start
     * @param apiKey a key in the {@code ds_...} format to register for it with every scope; optional
     */
    @ConfigurationProperties("docstream.bootstrap")
    public record Properties(String tenant, String apiKey) {

        @Override
        public String toString() {
            return "Properties[tenant=" + tenant + ", apiKey=" + (apiKey == null ? "none" : "(secret)") + "]";
        }
    }

    record Runner(ApiKeys apiKeys, Properties properties) implements ApplicationRunner {

        @Override
        public void run(ApplicationArguments args) {
            String tenant = properties.tenant();
            boolean tenantCreated = apiKeys.ensureTenant(tenant);
            String key = properties.apiKey() == null ? "" : properties.apiKey().strip();
            if (key.isEmpty()) {
                log.info("Bootstrap tenant '{}' {}", tenant, tenantCreated ? "created" : "already exists");
                return;
            }
            boolean keyCreated = apiKeys.register(tenant, KEY_NAME, key, EnumSet.allOf(Scope.class));
            log.info("Bootstrap tenant '{}' {}; its key {}... {}", tenant, tenantCreated ? "created" : "already exists",
                    key.substring(0, 11), keyCreated ? "registered" : "was already registered");
        }
    }
}
