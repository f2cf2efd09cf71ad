package io.docstream.platform.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Lua script run by its SHA-1 (EVALSHA), sent in full only when the server does not know it yet
 * (first use, or after a Redis restart emptied its script cache, or a cluster node that never ran it). Scripts name
 * every key they touch in {@code KEYS}, never building one inside Lua, and in a Redis Cluster all those keys share
 * one hash slot (a common {@code {tag}}): the cluster routes the script by its first key and refuses one whose keys
 * span slots ({@code CROSSSLOT}).
 */
public final class LuaScript {

    private final String source;
    private volatile String sha;

    public LuaScript(String source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    public <T> T run(RedisClusterCommands<String, byte[]> commands, ScriptOutputType type, String[] keys, byte[]... args) {
        try {
            return commands.evalsha(digest(commands), type, keys, args);
        } catch (RedisNoScriptException e) {
            return commands.eval(source, type, keys, args);
        }
    }

    /**
     * As {@link #run(RedisClusterCommands, ScriptOutputType, String[], byte[]...)}, waiting at most {@code timeout} for
     * each answer instead of the connection's command timeout (for callers that must give up sooner).
     *
     * @throws TimeoutException when Redis did not answer within {@code timeout}
     */
    public <T> T run(RedisClusterCommands<String, byte[]> commands, Duration timeout, ScriptOutputType type, String[] keys,
            byte[]... args) throws TimeoutException {
        RedisClusterAsyncCommands<String, byte[]> async = async(commands);
        try {
            return await(async.evalsha(digest(commands), type, keys, args), timeout);
        } catch (RedisNoScriptException e) {
            return await(async.eval(source, type, keys, args), timeout);
        }
    }

    /**
     * As {@link #run(RedisClusterCommands, ScriptOutputType, String[], byte[]...)}, without waiting: the answer completes
     * the future on a Lettuce thread (callers bound the wait themselves, e.g. with {@code orTimeout}).
     */
    public <T> CompletableFuture<T> runAsync(RedisClusterCommands<String, byte[]> commands, ScriptOutputType type,
            String[] keys, byte[]... args) {
        RedisClusterAsyncCommands<String, byte[]> async = async(commands);
        // Copies, so that a caller's timeout completes its own future and not Lettuce's command.
        return async.<T>evalsha(digest(commands), type, keys, args).toCompletableFuture()
                .<T>thenApply(reply -> reply)
                .exceptionallyCompose(failure -> unwrap(failure) instanceof RedisNoScriptException
                        ? async.<T>eval(source, type, keys, args).toCompletableFuture().thenApply(reply -> reply)
                        : CompletableFuture.failedFuture(failure));
    }

    /** The asynchronous face of the same connection (one server's, or a cluster's routing one). */
    private static RedisClusterAsyncCommands<String, byte[]> async(RedisClusterCommands<String, byte[]> commands) {
        if (commands instanceof RedisCommands<String, byte[]> server) {
            return server.getStatefulConnection().async();
        }
        if (commands instanceof RedisAdvancedClusterCommands<String, byte[]> cluster) {
            return cluster.getStatefulConnection().async();
        }
        throw new IllegalArgumentException("commands of a connection, not " + commands.getClass());
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private String digest(RedisClusterCommands<String, byte[]> commands) {
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
