package io.docstream.platform.redis;

import io.docstream.platform.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RedisTests {

    @Test
    void aServiceStartsWithoutRedisAndUsesItOnceItIsThere() {
        try (TestRedis server = TestRedis.start()) {
            server.stop();
            RedisClient client = RedisConfiguration.createClient(server.properties());
            MutableClock clock = new MutableClock();
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            try (Redis redis = new Redis(client, Duration.ofSeconds(1), meters, clock)) {
                long started = System.nanoTime();
                assertThatThrownBy(() -> redis.execute(commands -> commands.ping()))
                        .isInstanceOf(RedisUnavailableException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
                assertThat(meters.get("docstream.redis.errors").tag("kind", "connection").counter().count()).isOne();

                server.restart();
                assertThat(redis.available()).isFalse();
                assertThatThrownBy(() -> redis.execute(commands -> commands.ping()))
                        .as("skipped within the retry interval").isInstanceOf(RedisUnavailableException.class);

                clock.advance(Duration.ofSeconds(1).plusMillis(1));
                assertThat(redis.available()).isTrue();
                redis.execute(commands -> commands.set("k", "v".getBytes(StandardCharsets.UTF_8)));
                assertThat(server.get("k")).isEqualTo("v");
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void aRedisThatGoesAwayCostsOneFailedCommandPerRetryInterval() {
        try (TestRedis server = TestRedis.start()) {
            RedisClient client = RedisConfiguration.createClient(server.properties());
            MutableClock clock = new MutableClock();
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            try (Redis redis = new Redis(client, Duration.ofSeconds(1), meters, clock)) {
                String pong = redis.execute(commands -> commands.ping());
                assertThat(pong).isEqualTo("PONG");
                server.stop();

                for (int i = 0; i < 10; i++) {
                    assertThatThrownBy(() -> redis.execute(commands -> commands.ping()))
                            .isInstanceOf(RedisUnavailableException.class);
                }

                double failures = meters.find("docstream.redis.errors").counters().stream()
                        .mapToDouble(counter -> counter.count()).sum();
                assertThat(failures).isOne();
            } finally {
                client.shutdown();
            }
        }
    }

}
