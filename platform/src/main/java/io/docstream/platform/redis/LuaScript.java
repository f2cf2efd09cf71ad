package io.docstream.platform.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Lua script run by its SHA-1 (EVALSHA), sent in full only when the server does not know it yet
 * (first use, or after a Redis restart emptied its script cache).
 */
public final class LuaScript {

    private final String source;
    private volatile String sha;

    public LuaScript(String source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    public <T> T run(RedisCommands<String, byte[]> commands, ScriptOutputType type, String[] keys, byte[]... args) {
        try {
            return commands.evalsha(digest(commands), type, keys, args);
        } catch (RedisNoScriptException e) {
            return commands.eval(source, type, keys, args);
        }
    }

    /**
     * As {@link #run(RedisCommands, ScriptOutputType, String[], byte[]...)}, waiting at most {@code timeout} for
     * each answer instead of the connection's command timeout (for callers that must give up sooner).
     *
     * @throws TimeoutException when Redis did not answer within {@code timeout}
     */
    public <T> T run(RedisCommands<String, byte[]> commands, Duration timeout, ScriptOutputType type, String[] keys,
            byte[]... args) throws TimeoutException {
        RedisAsyncCommands<String, byte[]> async = commands.getStatefulConnection().async();
        try {
            return await(async.evalsha(digest(commands), type, keys, args), timeout);
        } catch (RedisNoScriptException e) {
            return await(async.eval(source, type, keys, args), timeout);
        }
    }

    /**
     * As {@link #run(RedisCommands, ScriptOutputType, String[], byte[]...)}, without waiting: the answer completes
     * the future on a Lettuce thread (callers bound the wait themselves, e.g. with {@code orTimeout}).
     */
    public <T> CompletableFuture<T> runAsync(RedisCommands<String, byte[]> commands, ScriptOutputType type,
            String[] keys, byte[]... args) {
        RedisAsyncCommands<String, byte[]> async = commands.getStatefulConnection().async();
        // Copies, so that a caller's timeout completes its own future and not Lettuce's command.
        return async.<T>evalsha(digest(commands), type, keys, args).toCompletableFuture()
                .<T>thenApply(reply -> reply)
                .exceptionallyCompose(failure -> unwrap(failure) instanceof RedisNoScriptException
                        ? async.<T>eval(source, type, keys, args).toCompletableFuture().thenApply(reply -> reply)
                        : CompletableFuture.failedFuture(failure));
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private String digest(RedisCommands<String, byte[]> commands) {
        String digest = sha;
        if (digest == null) {
            digest = commands.digest(source);
            sha = digest;
        }
        return digest;
    }

    private static <T> T await(RedisFuture<T> answer, Duration timeout) throws TimeoutException {
        try {
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisUnavailableException("interrupted while waiting for Redis", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new RedisUnavailableException("Redis failed: " + e.getCause(), e.getCause());
        }
    }
}
