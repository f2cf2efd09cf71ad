package io.docstream.invalidator.analytics;

import io.docstream.schemas.serde.JsonSerde;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The analytics stores' values, written on every counted search: a compact binary form behind a format byte
 * ({@value #BINARY}), several times cheaper than JSON on the stream thread, which counts every search of every
 * query API. Values written as JSON by earlier releases (they start with '{') still read.
 */
final class AnalyticsSerdes {

    static final byte BINARY = 1;

    private AnalyticsSerdes() {
    }

    /** A binary serde with the JSON one as the reader of old values. */
    private abstract static class BinarySerde<T> implements Serde<T> {

        private final JsonSerde<T> json;

        BinarySerde(Class<T> type) {
            this.json = new JsonSerde<T>(type) {
            };
        }

        abstract void write(T value, DataOutputStream out) throws IOException;

        abstract T read(DataInputStream in) throws IOException;

        @Override
        public Serializer<T> serializer() {
            return (topic, value) -> {
                if (value == null) {
                    return null;
                }
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
                try (DataOutputStream out = new DataOutputStream(bytes)) {
                    out.writeByte(BINARY);
                    write(value, out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return bytes.toByteArray();
            };
        }

        @Override
        public Deserializer<T> deserializer() {
            return (topic, bytes) -> {
                if (bytes == null) {
                    return null;
                }
                if (bytes.length > 0 && bytes[0] == '{') {
                    return json.fromBytes(bytes);
                }
                try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                    byte format = in.readByte();
                    if (format != BINARY) {
                        throw new IllegalArgumentException("unknown analytics value format " + format);
                    }
                    return read(in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
        }
    }

    static final class ShapeCountsSerde extends BinarySerde<ShapeCounts> {

        ShapeCountsSerde() {
            super(ShapeCounts.class);
        }

        @Override
        void write(ShapeCounts counts, DataOutputStream out) throws IOException {
            out.writeUTF(counts.tenant());
            out.writeLong(counts.windowStart().toEpochMilli());
            out.writeUTF(counts.shapeHash());
            out.writeUTF(counts.queryHash());
            writeNullable(out, counts.queryText());
            out.writeUTF(counts.mode());
            writeNullable(out, counts.fusion());
            out.writeInt(counts.k());
            out.writeInt(counts.filters().size());
            for (Map.Entry<String, String> filter : counts.filters().entrySet()) {
                out.writeUTF(filter.getKey());
                out.writeUTF(filter.getValue());
            }
            out.writeLong(counts.searches());
            out.writeLong(counts.zeroResults());
            out.writeLong(counts.latencySumMicros());
            out.writeLong(counts.latencyMaxMicros());
        }

        @Override
        ShapeCounts read(DataInputStream in) throws IOException {
            String tenant = in.readUTF();
            Instant windowStart = Instant.ofEpochMilli(in.readLong());
            String shapeHash = in.readUTF();
            String queryHash = in.readUTF();
            String queryText = readNullable(in);
            String mode = in.readUTF();
            String fusion = readNullable(in);
            int k = in.readInt();
            int filterCount = in.readInt();
            Map<String, String> filters = new TreeMap<>();
            for (int i = 0; i < filterCount; i++) {
                filters.put(in.readUTF(), in.readUTF());
            }
            return new ShapeCounts(tenant, windowStart, shapeHash, queryHash, queryText, mode, fusion, k, filters,
                    in.readLong(), in.readLong(), in.readLong(), in.readLong());
        }
    }

    static final class ModeCountsSerde extends BinarySerde<ModeCounts> {

        ModeCountsSerde() {
            super(ModeCounts.class);
        }

        @Override
        void write(ModeCounts counts, DataOutputStream out) throws IOException {
            out.writeUTF(counts.tenant());
            out.writeLong(counts.windowStart().toEpochMilli());
            out.writeUTF(counts.mode());
            out.writeLong(counts.searches());
            out.writeLong(counts.firstPages());
            out.writeLong(counts.zeroResults());
            out.writeLong(counts.l1Hits());
            out.writeLong(counts.l2Hits());
            out.writeLong(counts.misses());
            out.writeLong(counts.degraded());
            out.writeInt(counts.latencyBuckets().length);
            for (long bucket : counts.latencyBuckets()) {
                out.writeLong(bucket);
            }
        }

        @Override
        ModeCounts read(DataInputStream in) throws IOException {
            String tenant = in.readUTF();
            Instant windowStart = Instant.ofEpochMilli(in.readLong());
            String mode = in.readUTF();
            long searches = in.readLong();
            long firstPages = in.readLong();
            long zeroResults = in.readLong();
            long l1Hits = in.readLong();
            long l2Hits = in.readLong();
            long misses = in.readLong();
            long degraded = in.readLong();
            long[] buckets = new long[in.readInt()];
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = in.readLong();
            }
            return new ModeCounts(tenant, windowStart, mode, searches, firstPages, zeroResults, l1Hits, l2Hits,
                    misses, degraded, buckets);
        }
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
