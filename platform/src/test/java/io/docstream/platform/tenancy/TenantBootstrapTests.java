package io.docstream.platform.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.audit.AuditTrail;
import io.docstream.platform.testing.TestDatabase;
import io.docstream.schemas.events.AuditEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.DefaultApplicationArguments;

class TenantBootstrapTests {

    private static final String KEY = "ds_0123456789abcdefghijABCDEFGHIJ-_0123456789x";

    private final TestDatabase database = TestDatabase.shared();
    private final ApiKeys apiKeys = new ApiKeys(database.dsl());

    @BeforeEach
    void emptyDatabase() {
        database.truncateAll();
    }

    @Test
    void createsTheTenantAndRegistersTheDeploymentKeyWithEveryScopeOnEveryStartWithoutDuplicates() {
        TenantBootstrap.Runner runner = new TenantBootstrap.Runner(apiKeys, new TenantBootstrap.Properties("demo", KEY + "\n"), null);

        runner.run(new DefaultApplicationArguments());
        runner.run(new DefaultApplicationArguments());

        assertThat(apiKeys.authenticate(KEY)).hasValueSatisfying(principal -> {
            assertThat(principal.tenant()).isEqualTo("demo");
            assertThat(principal.scopes()).containsExactlyInAnyOrder(Scope.values());
        });
        assertThat(apiKeys.list("demo")).singleElement()
                .satisfies(summary -> assertThat(summary.name()).isEqualTo(TenantBootstrap.KEY_NAME));
    }

    @Test
    void createsOnlyTheTenantWhenNoKeyIsGiven() {
        new TenantBootstrap.Runner(apiKeys, new TenantBootstrap.Properties("demo", null), null).run(new DefaultApplicationArguments());

        assertThat(apiKeys.list("demo")).isEmpty();
        assertThat(database.dsl().fetchCount(io.docstream.schemas.db.Tables.TENANTS)).isEqualTo(1);
    }

    @Test
    void everyServiceAuditsTheKeyCreationAsTheSameEventNamingTheKeyIdOnly() {
        List<AuditEvent> recorded = new ArrayList<>();
        AuditTrail audit = recorded::add;
        TenantBootstrap.Properties properties = new TenantBootstrap.Properties("demo", KEY);

        new TenantBootstrap.Runner(apiKeys, properties, null).run(new DefaultApplicationArguments());
        new TenantBootstrap.Runner(apiKeys, properties, audit).run(new DefaultApplicationArguments());
        new TenantBootstrap.Runner(apiKeys, properties, audit).run(new DefaultApplicationArguments());

        ApiKeySummary key = apiKeys.list("demo").getFirst();
        assertThat(recorded).hasSize(2).containsOnly(recorded.getFirst());
        assertThat(recorded.getFirst()).satisfies(event -> {
            assertThat(event.tenant()).isEqualTo("demo");
            assertThat(event.actor()).isEqualTo("system:bootstrap");
            assertThat(event.action()).isEqualTo("key.create");
            assertThat(event.resource()).isEqualTo("key:demo/" + key.keyId());
            assertThat(event.outcome()).isEqualTo("succeeded");
            assertThat(event.time()).isEqualTo(key.createdAt());
            assertThat(event.toString()).doesNotContain(KEY);
        });
    }

    @Test
    void neverPrintsTheKey() {
        assertThat(new TenantBootstrap.Properties("demo", KEY).toString()).doesNotContain(KEY);
    }
}
