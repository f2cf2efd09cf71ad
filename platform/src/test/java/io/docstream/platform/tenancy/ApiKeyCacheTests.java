package io.docstream.platform.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.docstream.platform.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DelegatingDataSource;

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

    @Test
    void whilePostgresCannotAnswerAKeyLiveWithinTheStaleWindowKeepsWorking() {
        CreatedApiKey unseen = apiKeys.create("acme", "unseen", Set.of(Scope.SEARCH));
        CreatedApiKey seen = apiKeys.create("acme", "seen", Set.of(Scope.SEARCH));
        AtomicBoolean down = new AtomicBoolean();
        AtomicLong nanos = new AtomicLong();
        ApiKeyCache cache = cacheWithOneKeySeen(down, nanos, seen);

        down.set(true);
        nanos.addAndGet(Duration.ofMinutes(4).toNanos());
        assertThat(cache.authenticate(seen.plainKey())).as("stale, but PostgreSQL cannot say otherwise").isPresent();
        assertThatThrownBy(() -> cache.authenticate(unseen.plainKey())).isInstanceOf(DataAccessException.class);

        apiKeys.revoke(seen.keyId());
        down.set(false);
        assertThat(cache.authenticate(seen.plainKey())).as("checked again once PostgreSQL answers").isEmpty();

        down.set(true);
        assertThatThrownBy(() -> cache.authenticate(seen.plainKey())).as("a refused key is not remembered as live")
                .isInstanceOf(DataAccessException.class);
    }

    @Test
    void whilePostgresHangsAKeyPastItsTtlIsTrustedAfterTheCheckWaitAndRefusedOnceRevokedAndAnswered() throws Exception {
        CreatedApiKey seen = apiKeys.create("acme", "seen", Set.of(Scope.SEARCH));
        CountDownLatch thaw = new CountDownLatch(1);
        AtomicBoolean hung = new AtomicBoolean();
        AtomicLong nanos = new AtomicLong();
        ApiKeyCache cache = new ApiKeyCache(new ApiKeys(DSL.using(new DelegatingDataSource(database.dataSource()) {
            @Override
            public Connection getConnection() throws SQLException {
                if (hung.get()) {
                    try {
                        thaw.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.getConnection();
            }
        }, SQLDialect.POSTGRES)), Duration.ofSeconds(10), Duration.ofMinutes(5), nanos::get, Duration.ofMillis(200));
        assertThat(cache.authenticate(seen.plainKey())).isPresent();

        hung.set(true);
        // A cache that waited for the hung check would block here: the hang ends by itself after 5 s.
        Thread.ofPlatform().daemon(true).start(() -> {
            try {
                thaw.await(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thaw.countDown();
        });
        nanos.addAndGet(Duration.ofSeconds(11).toNanos());
        long started = System.nanoTime();
        assertThat(cache.authenticate(seen.plainKey())).as("trusted as last seen live").isPresent();
        assertThat(cache.authenticate(seen.plainKey())).as("the same check still under way").isPresent();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("two waits of 200 ms, not the hang")
                .isLessThan(Duration.ofSeconds(2));

        apiKeys.revoke(seen.keyId());
        hung.set(false);
        thaw.countDown();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(cache.authenticate(seen.plainKey())).as("the late answer refused the revoked key").isEmpty());
    }

    @Test
    void pastTheStaleWindowAnOutageIsNotBridged() {
        CreatedApiKey seen = apiKeys.create("acme", "seen", Set.of(Scope.SEARCH));
        AtomicBoolean down = new AtomicBoolean();
        AtomicLong nanos = new AtomicLong();
        ApiKeyCache cache = cacheWithOneKeySeen(down, nanos, seen);

        down.set(true);
        nanos.addAndGet(Duration.ofMinutes(6).toNanos());

        assertThatThrownBy(() -> cache.authenticate(seen.plainKey())).isInstanceOf(DataAccessException.class);
    }

    /**
     * A cache (TTL 10 s, stale window 5 min, time from {@code nanos}) over the test database reached through a
     * connection that fails like a PostgreSQL outage while {@code down}, which has authenticated {@code seen} once.
     */
    private ApiKeyCache cacheWithOneKeySeen(AtomicBoolean down, AtomicLong nanos, CreatedApiKey seen) {
        ApiKeyCache cache = new ApiKeyCache(new ApiKeys(DSL.using(new DelegatingDataSource(database.dataSource()) {
            @Override
            public Connection getConnection() throws SQLException {
                if (down.get()) {
                    throw new SQLTransientConnectionException("PostgreSQL is down", "08001");
                }
                return super.getConnection();
            }
        }, SQLDialect.POSTGRES)), Duration.ofSeconds(10), Duration.ofMinutes(5), nanos::get);
        assertThat(cache.authenticate(seen.plainKey())).isPresent();
        return cache;
    }
}
