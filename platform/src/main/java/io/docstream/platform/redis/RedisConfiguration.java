package io.docstream.platform.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Redis client of a service. Tuned to fail fast: short connect and command timeouts, commands
 * rejected (not queued) while disconnected, reconnecting in the background so Redis is used again
 * as soon as it answers.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RedisProperties.class)
public class RedisConfiguration {

    @Bean(destroyMethod = "shutdown")
    RedisClient redisClient(RedisProperties properties) {
        return createClient(properties);
    }

    @Bean(destroyMethod = "close")
    Redis redis(RedisClient redisClient, RedisProperties properties, ObjectProvider<MeterRegistry> meters) {
        return new Redis(redisClient, properties.retryInterval(), properties.maxConcurrent(), meters.getIfAvailable(),
                Clock.systemUTC());
    }

    /** A fail-fast client for the given settings (also used by tests and tools outside Spring). */
    public static RedisClient createClient(RedisProperties properties) {
        RedisURI uri = RedisURI.create(properties.uri());
        // The URI's timeout bounds the connection handshake; commands get theirs from the timeout options.
        uri.setTimeout(properties.connectTimeout());
        if (properties.password() != null && !properties.password().isEmpty()) {
            uri.setAuthentication(properties.password().toCharArray());
        }
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(properties.connectTimeout()).build())
                .timeoutOptions(TimeoutOptions.enabled(properties.commandTimeout()))
                .build());
        return client;
    }
}
