package io.docstream.cache;

import com.github.luben.zstd.Zstd;
import io.docstream.platform.redis.Redis;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import tools.jackson.dataformat.smile.SmileMapper;

/** How a cached value becomes bytes in Redis and back. */
public interface CacheCodec<V> {

    byte[] encode(V value);

    V decode(byte[] bytes);

    /**
     * Jackson Smile: compact binary JSON, for records such as search results and documents. Values of
     * {@link #COMPRESS_FROM} bytes and more are stored zstd-compressed behind the format byte {@link #ZSTD}; smaller
     * ones as plain Smile, which always starts with its header {@code ":)\n"}. Both forms decode, so values written
     * before compression (plain Smile) and after it coexist in Redis during a rolling upgrade.
     */
    static <V> CacheCodec<V> smile(Class<V> type) {
        SmileMapper mapper = SmileMapper.builder().build();
        return new CacheCodec<>() {
            @Override
            public byte[] encode(V value) {
                byte[] smile = mapper.writeValueAsBytes(value);
                if (smile.length < COMPRESS_FROM) {
                    return smile;
                }
                byte[] compressed = Zstd.compress(smile, ZSTD_LEVEL);
                byte[] framed = new byte[compressed.length + 1];
                framed[0] = ZSTD;
                System.arraycopy(compressed, 0, framed, 1, compressed.length);
                return framed;
            }

            @Override
            public V decode(byte[] bytes) {
                return mapper.readValue(inflate(bytes), type);
            }
        };
    }

    /** The format byte of a zstd-compressed value; plain Smile starts with {@code ':'} (0x3A) instead. */
    byte ZSTD = 0x01;
    /** Values smaller than this stay uncompressed: the frame would cost more than it saves. */
    int COMPRESS_FROM = 256;
    /** zstd's fast levels compress JSON-like text 3-6x at hundreds of MB/s. */
    int ZSTD_LEVEL = 3;
    /** A value never inflates to more than this; a larger size in a frame header means a corrupt value. */
    int MAX_INFLATED = 64 * 1024 * 1024;

    /** The Smile bytes of a stored value, inflating it when it carries the zstd format byte. */
    static byte[] inflate(byte[] stored) {
        if (stored.length == 0 || stored[0] != ZSTD) {
            return stored;
        }
        byte[] frame = Arrays.copyOfRange(stored, 1, stored.length);
        long size = Zstd.getFrameContentSize(frame);
        if (size < 0 || size > MAX_INFLATED) {
            throw new IllegalArgumentException("a cached value's zstd frame declares " + size + " bytes");
        }
        return Zstd.decompress(frame, (int) size);
    }

    /** Raw float32 little-endian, for embeddings. */
    static CacheCodec<float[]> floats() {
        return new CacheCodec<>() {
            @Override
            public byte[] encode(float[] value) {
                ByteBuffer buffer = ByteBuffer.allocate(value.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                buffer.asFloatBuffer().put(value);
                return buffer.array();
            }

            @Override
            public float[] decode(byte[] bytes) {
                float[] value = new float[bytes.length / Float.BYTES];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(value);
                return value;
            }
        };
    }
}
