package io.docstream.core.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.core.testing.TestDatabase;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiKeyCacheTests {

    private final TestDatabase database = TestDatabase.shared();
    private final ApiKeys apiKeys = new ApiKeys(database.dsl());

    @BeforeEach
    void emptyDatabase() {
        database.truncateAll();
    }

    @Test
    void aLiveKeyIsTrustedForTheTtlThenCheckedAgain() throws InterruptedException {
        ApiKeyCache cache = new ApiKeyCache(apiKeys, Duration.ofMillis(500));
        CreatedApiKey created = apiKeys.create("acme", "ci", Set.of(Scope.SEARCH));
        assertThat(cache.authenticate(created.plainKey())).hasValueSatisfying(
                principal -> assertThat(principal.tenant()).isEqualTo("acme"));

        apiKeys.revoke(created.keyId());
        // Within the TTL the cached principal answers: PostgreSQL is not asked.
        assertThat(cache.authenticate(created.plainKey())).isPresent();

        Thread.sleep(700);
        assertThat(cache.authenticate(created.plainKey())).isEmpty();
    }

    @Test
    void anUnknownKeyIsNotRememberedSoANewKeyWorksAtOnce() {
        ApiKeyCache cache = new ApiKeyCache(apiKeys, Duration.ofMinutes(10));
        String plainKey = apiKeys.create("acme", "template", Set.of(Scope.SEARCH)).plainKey();
        database.truncateAll();
        assertThat(cache.authenticate(plainKey)).isEmpty();

        assertThat(apiKeys.register("acme", "late", plainKey, Set.of(Scope.INGEST))).isTrue();

        assertThat(cache.authenticate(plainKey)).hasValueSatisfying(
                principal -> assertThat(principal.scopes()).containsExactly(Scope.INGEST));
    }

    @Test
    void aZeroTtlAsksEveryTime() {
        ApiKeyCache cache = new ApiKeyCache(apiKeys, Duration.ZERO);
        CreatedApiKey created = apiKeys.create("acme", "ci", Set.of(Scope.SEARCH));
        assertThat(cache.authenticate(created.plainKey())).isPresent();

        apiKeys.revoke(created.keyId());

        assertThat(cache.authenticate(created.plainKey())).isEmpty();
    }
}
