package io.docstream.platform.web;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * An answer whose bytes are fixed up to a short tail that differs per request (a cached search page and its
 * {@code tookMs}), compressed once: each coding of the fixed part is made on first use and kept, and a request
 * only appends its tail in a form that needs no compressor. For gzip the fixed part is a deflate stream ended with
 * a sync flush (byte aligned, not final), the tail a final stored block followed by the gzip trailer, whose CRC-32
 * continues the fixed part's; for zstd the fixed part is one frame and the tail a second frame of one raw block
 * (RFC 8878: a zstd stream is one or more frames). Either way the client receives one valid stream.
 */
public final class CompressedPrefix {

    private static final int[] CRC_TABLE = new int[256];
    private static final byte[] GZIP_HEADER = { 0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff };
    private static final int ZSTD_LEVEL = 3;
    private static final int MAX_TAIL = 255;

    static {
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
            }
            CRC_TABLE[n] = c;
        }
    }

    private final byte[] prefix;
    private volatile byte[] gzipPrefix;
    private volatile int prefixCrc;
    private volatile byte[] zstdPrefix;

    public CompressedPrefix(byte[] prefix) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    /** The bytes before the tail, uncompressed. */
    public int length() {
        return prefix.length;
    }

    /** The whole answer, the fixed part then {@code tail} (at most 255 bytes), in {@code coding}. */
    public byte[] body(ContentCoding coding, byte[] tail) {
        if (tail.length > MAX_TAIL) {
            throw new IllegalArgumentException("a tail of " + tail.length + " bytes");
        }
        return switch (coding) {
            case IDENTITY -> concat(prefix, tail);
            case GZIP -> gzip(tail);
            case ZSTD -> zstd(tail);
        };
    }

    private byte[] gzip(byte[] tail) {
        byte[] head = gzipPrefix;
        if (head == null) {
            head = deflatedPrefix();
        }
        int n = tail.length;
        byte[] body = Arrays.copyOf(head, head.length + 5 + n + 8);
        int at = head.length;
        body[at++] = 1; // BFINAL=1, BTYPE=00 (stored)
        body[at++] = (byte) n;
        body[at++] = (byte) (n >>> 8);
        body[at++] = (byte) ~n;
        body[at++] = (byte) (~n >>> 8);
        System.arraycopy(tail, 0, body, at, n);
        at += n;
        int crc = crc32(prefixCrc, tail);
        at = littleEndian(body, at, crc);
        littleEndian(body, at, prefix.length + n);
        return body;
    }

    private synchronized byte[] deflatedPrefix() {
        if (gzipPrefix != null) {
            return gzipPrefix;
        }
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(prefix);
            ByteArrayOutputStream out = new ByteArrayOutputStream(prefix.length / 3 + 64);
            out.writeBytes(GZIP_HEADER);
            byte[] buffer = new byte[8192];
            int written;
            do {
                written = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                out.write(buffer, 0, written);
            } while (written == buffer.length);
            CRC32 crc = new CRC32();
            crc.update(prefix);
            prefixCrc = (int) crc.getValue();
            gzipPrefix = out.toByteArray();
            return gzipPrefix;
        } finally {
            deflater.end();
        }
    }

    private byte[] zstd(byte[] tail) {
        byte[] head = zstdPrefix;
        if (head == null) {
            head = Zstd.compress(prefix, ZSTD_LEVEL);
            zstdPrefix = head;
        }
        int n = tail.length;
        byte[] body = Arrays.copyOf(head, head.length + 9 + n);
        int at = littleEndian(body, head.length, 0xFD2FB528); // magic number
        body[at++] = 0x20; // single segment, 1-byte content size, no checksum, no dictionary
        body[at++] = (byte) n;
        int block = 1 | (n << 3); // last block, raw, n bytes
        body[at++] = (byte) block;
        body[at++] = (byte) (block >>> 8);
        body[at++] = (byte) (block >>> 16);
        System.arraycopy(tail, 0, body, at, n);
        return body;
    }

    /** zlib's crc32(crc, bytes): the CRC-32 of what {@code crc} covered followed by {@code bytes}. */
    static int crc32(int crc, byte[] bytes) {
        int c = ~crc;
        for (byte b : bytes) {
            c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
        }
        return ~c;
    }

    private static int littleEndian(byte[] into, int at, int value) {
        into[at] = (byte) value;
        into[at + 1] = (byte) (value >>> 8);
        into[at + 2] = (byte) (value >>> 16);
        into[at + 3] = (byte) (value >>> 24);
        return at + 4;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
