package io.docstream.cache;

import io.docstream.platform.redis.Redis;
import io.docstream.platform.redis.RedisConfiguration;
import io.docstream.platform.redis.RedisUnavailableException;
import io.docstream.platform.redis.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GenerationsTests {

    private static TestRedis server;
    private static RedisClient client;
    private static Redis redis;

    private final Generations generations = new Generations(redis);

    @BeforeAll
    static void startRedis() {
        server = TestRedis.start();
        client = RedisConfiguration.createClient(server.properties());
        redis = new Redis(client, server.properties().retryInterval(), new SimpleMeterRegistry());
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
        client.shutdown();
        server.close();
    }

    @BeforeEach
    void emptyRedis() {
        server.flushAll();
    }

    @Test
    void aMissingGenerationStartsAtTheCurrentTimeInMicrosecondsAndStays() {
        long before = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());

        long first = generations.current("acme");

        assertThat(first).isGreaterThanOrEqualTo(before);
        assertThat(generations.current("acme")).isEqualTo(first);
    }

    @Test
    void anExistingGenerationIsReadAsStored() {
        set(CacheKeys.generation("acme"), "42");

        assertThat(generations.current("acme")).isEqualTo(42);
    }

    @Test
    void aGenerationWrittenByLuaInExponentFormIsStillUnderstood() {
        set(CacheKeys.generation("acme"), "1.7953219837761e+15");

        assertThat(generations.current("acme")).isEqualTo(1_795_321_983_776_100L);
    }

    @Test
    void aValueIsStoredWhileTheGenerationItWasComputedUnderHolds() {
        long generation = generations.current("acme");
        String key = CacheKeys.search("acme", "docstream-chunks__m__1", "q");

        assertThat(generations.storeIfCurrent("acme", generation, key, bytes("answer"), 60_000)).isTrue();

        assertThat(get(key)).isEqualTo("answer");
        assertThat((long) redis.execute(commands -> commands.pttl(key))).isBetween(1L, 60_000L);
    }

    @Test
    void aValueComputedBeforeTheGenerationMovedIsNotStored() {
        long generation = generations.current("acme");
        set(CacheKeys.generation("acme"), Long.toString(generation + 1));
        String key = CacheKeys.document("acme", "doc-1");

        assertThat(generations.storeIfCurrent("acme", generation, key, bytes("old"), 60_000)).isFalse();

        assertThat(get(key)).isNull();
    }

    @Test
    void nothingIsStoredForATenantWhoseGenerationIsUnknown() {
        String key = CacheKeys.document("acme", "doc-1");

        assertThat(generations.storeIfCurrent("acme", 7, key, bytes("old"), 60_000)).isFalse();
    }

    @Test
    void aStoppedRedisIsReportedAsUnavailable() {
        try (TestRedis own = TestRedis.start()) {
            RedisClient ownClient = RedisConfiguration.createClient(own.properties());
            try (Redis ownRedis = new Redis(ownClient, own.properties().retryInterval(), new SimpleMeterRegistry())) {
                Generations ownGenerations = new Generations(ownRedis);
                ownGenerations.current("acme");
                own.stop();

                assertThatThrownBy(() -> ownGenerations.current("acme")).isInstanceOf(RedisUnavailableException.class);
            } finally {
                ownClient.shutdown();
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void set(String key, String value) {
        redis.execute(commands -> commands.set(key, bytes(value)));
    }

    private static String get(String key) {
        byte[] value = redis.execute(commands -> commands.get(key));
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }
}
