package io.docstream.core.cache;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Objects;

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
        String digest = sha;
        if (digest == null) {
            digest = commands.digest(source);
            sha = digest;
        }
        try {
            return commands.evalsha(digest, type, keys, args);
        } catch (RedisNoScriptException e) {
            return commands.eval(source, type, keys, args);
        }
    }
}
