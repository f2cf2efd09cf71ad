package io.docstream.cli.bench;

import io.docstream.cache.CacheCodec;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.net.URI;
import java.time.Duration;

/**
 * What cached search pages cost in Redis: a sample of the {@code ds:{*}:s:*} values (see {@code CacheKeys}), their
 * stored size and the size of the Smile document inside (inflated when stored compressed), read straight from Redis.
 */
final class RedisValues {

    private static final int SAMPLE = 200;

    private RedisValues() {
    }

    /** Samples up to 200 search pages; empty figures when Redis cannot be read. */
    static CacheReport.L2Values searchPages(URI redis) {
        RedisURI uri = RedisURI.create(redis.toString());
        uri.setTimeout(Duration.ofSeconds(5));
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            RedisCommands<byte[], byte[]> commands = connection.sync();
            long stored = 0;
            long smile = 0;
            int sampled = 0;
            ScanCursor cursor = ScanCursor.INITIAL;
            ScanArgs match = ScanArgs.Builder.matches("ds:{*}:s:*").limit(500);
            while (sampled < SAMPLE && !cursor.isFinished()) {
                KeyScanCursor<byte[]> page = commands.scan(cursor, match);
                for (byte[] key : page.getKeys()) {
                    byte[] value = sampled < SAMPLE ? commands.get(key) : null;
                    if (value != null) {
                        stored += value.length;
                        smile += CacheCodec.inflate(value).length;
                        sampled++;
                    }
                }
                cursor = page;
            }
            return new CacheReport.L2Values(sampled, sampled == 0 ? null : BenchFigures.round((double) stored / sampled),
                    sampled == 0 ? null : BenchFigures.round((double) smile / sampled),
                    stored == 0 ? null : BenchFigures.round((double) smile / stored));
        } catch (RuntimeException e) {
            System.out.println("  could not sample Redis values (" + e + ")");
            return new CacheReport.L2Values(0, null, null, null);
        } finally {
            client.shutdown();
        }
    }
}
