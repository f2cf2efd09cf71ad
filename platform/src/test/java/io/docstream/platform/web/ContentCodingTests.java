package io.docstream.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The coding an {@code Accept-Encoding} header asks for. */
class ContentCodingTests {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "NULL | IDENTITY",
        "'' | IDENTITY",
        "gzip | GZIP",
        "GZip | GZIP",
        "x-gzip | GZIP",
        "zstd | ZSTD",
        "gzip, deflate, br, zstd | ZSTD",
        "gzip;q=1.0, zstd;q=0.5 | GZIP",
        "zstd;q=0, gzip | GZIP",
        "gzip;q=0, zstd;q=0 | IDENTITY",
        "br, deflate | IDENTITY",
        "identity | IDENTITY",
        "* | ZSTD",
        "*;q=0.2, gzip | GZIP",
        "gzip;q=abc | IDENTITY",
        "gzip;q=2 | IDENTITY",
        "gzip ; q=0.8 , zstd ; q=0.9 | ZSTD",
        "' , ,gzip' | GZIP",
    })
    void theBestRatedCodingWinsWithZstdBeforeGzipOnATie(String acceptEncoding, ContentCoding expected) {
        assertThat(ContentCoding.preferred(acceptEncoding)).isEqualTo(expected);
    }
}
