package io.docstream.core.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.core.testing.TestDatabase;
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
        TenantBootstrap.Runner runner = new TenantBootstrap.Runner(apiKeys, new TenantBootstrap.Properties("demo", KEY + "\n"));

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
        new TenantBootstrap.Runner(apiKeys, new TenantBootstrap.Properties("demo", null)).run(new DefaultApplicationArguments());

        assertThat(apiKeys.list("demo")).isEmpty();
        assertThat(database.dsl().fetchCount(io.docstream.schemas.db.Tables.TENANTS)).isEqualTo(1);
    }

    @Test
    void neverPrintsTheKey() {
        assertThat(new TenantBootstrap.Properties("demo", KEY).toString()).doesNotContain(KEY);
    }
}
