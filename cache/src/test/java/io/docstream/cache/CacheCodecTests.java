package io.docstream.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.dataformat.smile.SmileMapper;

class CacheCodecTests {

    record Result(String id, String title, String snippet, double score, long version) {
    }

    record Page(List<Result> results, String nextCursor, List<String> degraded) {
    }

    private final CacheCodec<Page> codec = CacheCodec.smile(Page.class);

    @Test
    void aSearchPageIsStoredCompressedAtLeastTwiceSmallerAndReadBack() {
        Page page = page(10);
        byte[] plain = SmileMapper.builder().build().writeValueAsBytes(page);

        byte[] stored = codec.encode(page);

        assertThat(stored[0]).as("the zstd format byte").isEqualTo(CacheCodec.ZSTD);
        assertThat(stored.length).as("%d bytes of Smile", plain.length).isLessThanOrEqualTo(plain.length / 2);
        assertThat(codec.decode(stored)).isEqualTo(page);
        System.out.printf("search page of 10 results: %d bytes as Smile, %d stored%n", plain.length, stored.length);
    }

    @Test
    void smallValuesStayPlainSmileAndValuesWrittenBeforeCompressionStillDecode() {
        Page small = new Page(List.of(), null, List.of());
        byte[] stored = codec.encode(small);
        assertThat(new String(stored, 0, 2)).as("Smile's header").isEqualTo(":)");
        assertThat(codec.decode(stored)).isEqualTo(small);

        byte[] legacy = SmileMapper.builder().build().writeValueAsBytes(page(10));
        assertThat(codec.decode(legacy)).as("an uncompressed value of the previous release").isEqualTo(page(10));
    }

    @Test
    void aFrameDeclaringAnAbsurdSizeIsRefused() {
        byte[] stored = codec.encode(page(10));
        byte[] corrupt = new byte[] { CacheCodec.ZSTD, 0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 0x64, 0x00, 0x00,
            0x00, 0x00, 0x40 };

        assertThatThrownBy(() -> codec.decode(corrupt)).isInstanceOf(RuntimeException.class);
        assertThat(codec.decode(stored)).isEqualTo(page(10));
    }

    private static Page page(int results) {
        List<Result> list = new ArrayList<>();
        for (int i = 0; i < results; i++) {
            list.add(new Result("doc-" + i, "Configuring the network interface " + i,
                    "The interface is brought up with its address and routes; the <em>network</em> daemon reads the"
                            + " configuration file at start and applies it to interface " + i + ".",
                    0.92 - i * 0.01, 1_765_000_000_000_000L + i));
        }
        return new Page(list, "bmV4dC1jdXJzb3I", List.of());
    }
}
