package io.docstream.platform.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.platform.testing.TestDatabase;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiKeysTests {

    private final TestDatabase database = TestDatabase.shared();
    private final ApiKeys apiKeys = new ApiKeys(database.dsl());

    @BeforeEach
    void emptyDatabase() {
        database.truncateAll();
    }

    @Test
    void createdKeyAuthenticatesAsItsTenantWithItsScopes() {
        CreatedApiKey created = apiKeys.create("acme", "ci", EnumSet.of(Scope.INGEST, Scope.SEARCH));

        assertThat(created.plainKey()).matches("ds_[A-Za-z0-9_-]{43}");
        assertThat(apiKeys.authenticate(created.plainKey())).hasValueSatisfying(principal -> {
            assertThat(principal.keyId()).isEqualTo(created.keyId());
            assertThat(principal.tenant()).isEqualTo("acme");
            assertThat(principal.name()).isEqualTo("ci");
            assertThat(principal.scopes()).containsExactlyInAnyOrder(Scope.INGEST, Scope.SEARCH);
        });
    }

    @Test
    void storesOnlyTheHashAndADisplayPrefix() {
        CreatedApiKey created = apiKeys.create("acme", "ci", Set.of(Scope.SEARCH));

        String stored = database.dsl().fetchOne("select key_prefix || encode(key_hash, 'hex') from api_keys")
                .get(0, String.class);
        assertThat(stored).doesNotContain(created.plainKey().substring(3));
        assertThat(apiKeys.list("acme")).singleElement().satisfies(summary -> {
            assertThat(summary.prefix()).isEqualTo(created.plainKey().substring(0, 11));
            assertThat(summary.revoked()).isFalse();
        });
    }

    @Test
    void unknownMalformedAndAlteredKeysDoNotAuthenticate() {
        CreatedApiKey created = apiKeys.create("acme", "ci", Set.of(Scope.SEARCH));
        String key = created.plainKey();
        String altered = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");

        assertThat(apiKeys.authenticate(altered)).isEmpty();
        assertThat(apiKeys.authenticate("ds_short")).isEmpty();
        assertThat(apiKeys.authenticate("")).isEmpty();
        assertThat(apiKeys.authenticate(null)).isEmpty();
    }

    @Test
    void revokedKeysNoLongerAuthenticate() {
        CreatedApiKey created = apiKeys.create("acme", "ci", Set.of(Scope.INGEST));

        assertThat(apiKeys.revoke(created.keyId())).isTrue();
        assertThat(apiKeys.revoke(created.keyId())).isFalse();
        assertThat(apiKeys.authenticate(created.plainKey())).isEmpty();
        assertThat(apiKeys.list("acme")).singleElement().satisfies(summary -> assertThat(summary.revoked()).isTrue());
    }

    @Test
    void aTenantFindsAndRevokesOnlyItsOwnKeys() {
        CreatedApiKey theirs = apiKeys.create("other", "theirs", Set.of(Scope.SEARCH));
        CreatedApiKey ours = apiKeys.create("acme", "ours", Set.of(Scope.SEARCH));

        assertThat(apiKeys.find("acme", theirs.keyId())).isEmpty();
        assertThat(apiKeys.revoke("acme", theirs.keyId())).isFalse();
        assertThat(apiKeys.authenticate(theirs.plainKey())).isPresent();

        assertThat(apiKeys.find("acme", ours.keyId())).hasValueSatisfying(summary -> {
            assertThat(summary.name()).isEqualTo("ours");
            assertThat(summary.revoked()).isFalse();
        });
        assertThat(apiKeys.revoke("acme", ours.keyId())).isTrue();
        assertThat(apiKeys.revoke("acme", ours.keyId())).isFalse();
        assertThat(apiKeys.authenticate(ours.plainKey())).isEmpty();
        assertThat(apiKeys.find("acme", ours.keyId())).hasValueSatisfying(summary -> assertThat(summary.revoked()).isTrue());
    }

    @Test
    void listsOnlyTheTenantsOwnKeys() {
        apiKeys.create("acme", "one", Set.of(Scope.INGEST));
        apiKeys.create("acme", "two", Set.of(Scope.ADMIN));
        apiKeys.create("other", "three", Set.of(Scope.SEARCH));

        assertThat(apiKeys.list("acme")).extracting(ApiKeySummary::name).containsExactlyInAnyOrder("one", "two");
    }

    @Test
    void ensureTenantIsIdempotent() {
        assertThat(apiKeys.ensureTenant("acme")).isTrue();
        assertThat(apiKeys.ensureTenant("acme")).isFalse();
    }

    @Test
    void refusesKeysWithoutScopesAndInvalidTenants() {
        assertThatThrownBy(() -> apiKeys.create("acme", "none", Set.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> apiKeys.create("Not A Tenant", "x", Set.of(Scope.SEARCH)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void registersAKeyGeneratedElsewhereOnceAndAuthenticatesIt() {
        String key = "ds_" + "a".repeat(40) + "B-_";

        assertThat(apiKeys.register("fresh", "bootstrap", key, EnumSet.allOf(Scope.class))).isTrue();
        assertThat(apiKeys.register("fresh", "bootstrap", key, EnumSet.allOf(Scope.class))).isFalse();

        assertThat(apiKeys.authenticate(key)).hasValueSatisfying(principal -> {
            assertThat(principal.tenant()).isEqualTo("fresh");
            assertThat(principal.scopes()).containsExactlyInAnyOrder(Scope.values());
        });
        assertThat(apiKeys.list("fresh")).hasSize(1);
    }

    @Test
    void refusesToRegisterAKeyOfAnotherFormat() {
        assertThatThrownBy(() -> apiKeys.register("acme", "bootstrap", "ds_tooshort", Set.of(Scope.SEARCH)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("43 base64url");
        assertThatThrownBy(() -> apiKeys.register("acme", "bootstrap", "xx_" + "a".repeat(43), Set.of(Scope.SEARCH)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(database.dsl().fetchCount(io.docstream.schemas.db.Tables.API_KEYS)).isZero();
    }
}
