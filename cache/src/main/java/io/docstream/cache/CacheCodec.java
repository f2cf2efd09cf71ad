package io.docstream.cache;

import io.docstream.platform.redis.Redis;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import tools.jackson.dataformat.smile.SmileMapper;

/** How a cached value becomes bytes in Redis and back. */
public interface CacheCodec<V> {

    byte[] encode(V value);

    V decode(byte[] bytes);

    /** Jackson Smile: compact binary JSON, for records such as search results and documents. */
    static <V> CacheCodec<V> smile(Class<V> type) {
        SmileMapper mapper = SmileMapper.builder().build();
        return new CacheCodec<>() {
            @Override
            public byte[] encode(V value) {
                return mapper.writeValueAsBytes(value);
            }

            @Override
            public V decode(byte[] bytes) {
                return mapper.readValue(bytes, type);
            }
        };
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
