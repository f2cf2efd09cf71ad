package io.docstream.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.redis.Redis;
import io.docstream.platform.redis.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChangeLogTests {

    private static final Duration RETENTION = Duration.ofMinutes(5);

    private static TestRedis server;
    private static Redis redis;

    private final ChangeLog log = new ChangeLog(redis);

    @BeforeAll
    static void startRedis() {
        server = TestRedis.start();
        redis = server.serviceClient();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
        server.close();
    }

    @BeforeEach
    void emptyRedis() {
        server.flushAll();
    }

    @Test
    void eachChangeMovesTheGenerationEvictsItsKeysAndIsReadBackAsAChain() {
        long before = new Generations(redis).current("acme");
        server.set(CacheKeys.document("acme", "doc-1"), "cached");
        Instant now = Instant.now();

        TenantChanges.Change first = log.record("acme", "doc-1", List.of(CacheKeys.document("acme", "doc-1")), now,
                RETENTION, 100);
        TenantChanges.Change second = log.record("acme", "doc:2", List.of(), now, RETENTION, 100);

        assertThat(first.previous()).isEqualTo(before);
        assertThat(first.generation()).isGreaterThan(before);
        assertThat(second.previous()).isEqualTo(first.generation());
        assertThat(new Generations(redis).current("acme")).isEqualTo(second.generation());
        assertThat(server.get(CacheKeys.document("acme", "doc-1"))).isNull();
        assertThat(log.read("acme", before)).containsExactly(first, second);
        assertThat(log.read("acme", first.generation())).containsExactly(second);

        TenantChanges history = new TenantChanges(100);
        log.read("acme", before).forEach(history::add);
        assertThat(history.documentsChanged(before, second.generation())).hasValue(Set.of("doc-1", "doc:2"));
    }

    @Test
    void keepsAtMostTheNewestEntriesAndOnlyForTheRetention() {
        Instant now = Instant.now();
        for (int i = 0; i < 5; i++) {
            log.record("acme", "doc-" + i, List.of(), now, RETENTION, 3);
        }
        log.record("other", "doc", List.of(), now.minus(Duration.ofMinutes(10)), RETENTION, 3);
        TenantChanges.Change late = log.record("other", "doc", List.of(), now, RETENTION, 3);

        assertThat(log.read("acme", 0)).extracting(TenantChanges.Change::documentId)
                .containsExactly("doc-2", "doc-3", "doc-4");
        assertThat(log.read("other", 0)).as("a change older than the retention is gone").containsExactly(late);
        assertThat(server.commands().pttl(CacheKeys.changes("acme"))).isBetween(1L, RETENTION.toMillis());
    }

    @Test
    void aChangeThatCannotBeDescribedIsReadBackWithoutADocument() {
        TenantChanges.Change change = log.record("acme", null, List.of(), Instant.now(), RETENTION, 10);

        assertThat(log.read("acme", 0)).singleElement().satisfies(read -> {
            assertThat(read.generation()).isEqualTo(change.generation());
            assertThat(read.described()).isFalse();
        });
    }
}
