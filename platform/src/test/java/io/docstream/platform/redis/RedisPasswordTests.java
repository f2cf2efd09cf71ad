package io.docstream.platform.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A Redis that requires a password is reached with {@code docstream.redis.password}, and only with it. */
class RedisPasswordTests {

    private static final String PASSWORD = "correct horse battery staple";
    private static TestRedis redis;

    @BeforeAll
    static void startRedisWithAPassword() {
        redis = TestRedis.start();
        redis.withConnection(commands -> commands.configSet("requirepass", PASSWORD));
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void connectsWithTheConfiguredPassword() {
        RedisClient client = RedisConfiguration.createClient(properties(PASSWORD));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            assertThat(connection.sync().ping()).isEqualTo("PONG");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void isRefusedWithoutOrWithAWrongPassword() {
        assertRefused(null, "NOAUTH");
        assertRefused("wrong", "WRONGPASS");
    }

    @Test
    void neverPrintsThePassword() {
        assertThat(properties(PASSWORD).toString()).doesNotContain(PASSWORD).contains("password=(secret)");
    }

    private static void assertRefused(String password, String error) {
        RedisClient client = RedisConfiguration.createClient(properties(password));
        try {
            assertThatThrownBy(() -> {
                try (StatefulRedisConnection<String, String> connection = client.connect()) {
                    connection.sync().ping();
                }
            }).hasStackTraceContaining(error);
        } finally {
            client.shutdown();
        }
    }

    private static RedisProperties properties(String password) {
        return new RedisProperties(redis.uri(), Duration.ofSeconds(2), Duration.ofMillis(200), password);
    }
}
