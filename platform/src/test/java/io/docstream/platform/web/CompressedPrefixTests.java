package io.docstream.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A prefix compressed once and a tail appended per request decode, as one stream, to the prefix then the tail. */
class CompressedPrefixTests {

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 700, 5_000, 200_000 })
    void everyCodingDecodesToThePrefixThenTheTail(int size) throws IOException {
        byte[] prefix = json(size);
        CompressedPrefix compressed = new CompressedPrefix(prefix);
        for (String took : new String[] { "}", "0}", "17}", "9223372036854775807}" }) {
            byte[] tail = took.getBytes(StandardCharsets.US_ASCII);
            byte[] expected = concat(prefix, tail);

            assertThat(compressed.body(ContentCoding.IDENTITY, tail)).isEqualTo(expected);
            assertThat(decode(new GZIPInputStream(new ByteArrayInputStream(
                    compressed.body(ContentCoding.GZIP, tail))))).as("gzip, %d + %s", size, took).isEqualTo(expected);
            assertThat(decode(new ZstdInputStream(new ByteArrayInputStream(
                    compressed.body(ContentCoding.ZSTD, tail))))).as("zstd, %d + %s", size, took).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 3, 64 })
    void randomBytesSurviveToo(int tailLength) throws IOException {
        byte[] prefix = new byte[70_000];
        Random random = new Random(tailLength);
        random.nextBytes(prefix);
        byte[] tail = new byte[tailLength];
        random.nextBytes(tail);
        CompressedPrefix compressed = new CompressedPrefix(prefix);

        assertThat(decode(new GZIPInputStream(new ByteArrayInputStream(compressed.body(ContentCoding.GZIP, tail)))))
                .isEqualTo(concat(prefix, tail));
        assertThat(decode(new ZstdInputStream(new ByteArrayInputStream(compressed.body(ContentCoding.ZSTD, tail)))))
                .isEqualTo(concat(prefix, tail));
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 5_000 })
    void theCrcContinuesAsZlibsDoes(int size) {
        byte[] first = json(size);
        byte[] second = "tookMs\":12}".getBytes(StandardCharsets.US_ASCII);
        CRC32 whole = new CRC32();
        whole.update(first);
        int firstCrc = (int) whole.getValue();
        whole.update(second);

        assertThat(CompressedPrefix.crc32(firstCrc, second)).isEqualTo((int) whole.getValue());
    }

    @ParameterizedTest
    @ValueSource(ints = { 20_000 })
    void aJsonPageCompressesSeveralFold(int size) {
        byte[] prefix = json(size);
        CompressedPrefix compressed = new CompressedPrefix(prefix);
        byte[] tail = "3}".getBytes(StandardCharsets.US_ASCII);

        assertThat(compressed.body(ContentCoding.GZIP, tail).length).isLessThan(size / 4);
        assertThat(compressed.body(ContentCoding.ZSTD, tail).length).isLessThan(size / 4);
    }

    /** Search-answer-like JSON of about {@code size} bytes. */
    private static byte[] json(int size) {
        StringBuilder json = new StringBuilder("{\"results\":[");
        for (int i = 0; json.length() < size; i++) {
            json.append("{\"id\":\"doc-").append(i).append("\",\"title\":\"Ice report ").append(i)
                    .append("\",\"snippet\":\"Sea ice report number ").append(i)
                    .append(" describes the ice sheet\",\"score\":0.").append(9000 - i).append("},");
        }
        return json.substring(0, size).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] decode(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(first);
        out.writeBytes(second);
        return out.toByteArray();
    }
}
