package io.docstream.platform.tenancy;

import io.docstream.platform.audit.AuditActions;
import io.docstream.platform.audit.AuditTrail;
import io.docstream.schemas.events.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.UUID;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Creates a deployment's first tenant and registers its all-scopes API key on start, so a fresh
 * production stack can be used before anyone has run a key command. The key itself comes from a
 * secret ({@code DOCSTREAM_BOOTSTRAP_API_KEY_FILE}); only its display prefix is ever logged. Safe to
 * run in several services and on every start: an existing tenant or key is left as it is. Where the app has
 * an {@link AuditTrail}, the key's creation is audited ({@code key.create}, one row however many services start).
 */
@AutoConfiguration
@ConditionalOnProperty("docstream.bootstrap.tenant")
@EnableConfigurationProperties(TenantBootstrap.Properties.class)
public class TenantBootstrap {

    private static final Logger log = LoggerFactory.getLogger(TenantBootstrap.class);
    static final String KEY_NAME = "bootstrap";
    static final String ACTOR = AuditActions.systemActor("bootstrap");

    @Bean
    ApplicationRunner tenantBootstrapRunner(DSLContext dsl, Properties properties, ObjectProvider<AuditTrail> audit) {
        return new Runner(new ApiKeys(dsl), properties, audit.getIfAvailable());
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

    /** {@code audit} is null in apps that record no audit events. */
    record Runner(ApiKeys apiKeys, Properties properties, AuditTrail audit) implements ApplicationRunner {

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
            if (audit != null) {
                auditKeyCreation(tenant, key.substring(0, 11));
            }
        }

        /**
         * Records {@code key.create} for the bootstrap key on every start, whichever service registered it: the
         * event's id and time are the key's own (id derived from the key id, time its creation), so the audit
         * sink keeps one row however many services and starts record it. Only the key id is named, never the key.
         */
        private void auditKeyCreation(String tenant, String prefix) {
            apiKeys.list(tenant).stream()
                    .filter(summary -> summary.prefix().equals(prefix) && summary.name().equals(KEY_NAME))
                    .findFirst()
                    .ifPresent(summary -> audit.record(new AuditEvent(
                            UUID.nameUUIDFromBytes(("key.create/" + summary.keyId()).getBytes(StandardCharsets.UTF_8)),
                            tenant, ACTOR, AuditActions.KEY_CREATE, "key:" + tenant + "/" + summary.keyId(),
                            AuditActions.SUCCEEDED, null, null, summary.createdAt())));
        }
    }
}
