package io.docstream.platform.redis;

/**
 * Redis did not answer (down, unreachable, too slow) or is being skipped after a recent failure.
 * Readers treat it as "no shared cache right now"; the invalidator treats it as a dependency outage.
 */
public class RedisUnavailableException extends RuntimeException {

    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
