package io.docstream.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;

/**
 * Whether answers are compressed and from what size: Spring Boot's {@code server.compression.enabled} and
 * {@code server.compression.min-response-size}, which configure the container's gzip, applied as well to zstd and
 * to the cached search pages compressed once ({@link CompressedPrefix}).
 */
public record ResponseCompression(boolean enabled, int minResponseSize) {

    /** The coding an answer of {@code length} bytes to this request goes out in. */
    public ContentCoding coding(HttpServletRequest request, int length) {
        return enabled && length >= minResponseSize ? coding(request) : ContentCoding.IDENTITY;
    }

    /** The coding the request's {@code Accept-Encoding} prefers, identity when compression is off. */
    public ContentCoding coding(HttpServletRequest request) {
        return enabled ? ContentCoding.preferred(request.getHeader(HttpHeaders.ACCEPT_ENCODING))
                : ContentCoding.IDENTITY;
    }
}
