package io.docstream.platform.web;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * zstd-compressed answers for clients that prefer zstd (gzip stays the servlet container's, configured by
 * {@code server.compression}): JSON, problem+json and NDJSON answers of at least the configured size go out with
 * {@code Content-Encoding: zstd}; a strong entity tag becomes weak, as
 * the container does for gzip, since the bytes sent are no longer the representation's. An answer that already
 * carries a {@code Content-Encoding} (a cached search page compressed once, {@link CompressedPrefix}) passes through.
 */
final class ZstdResponseFilter extends OncePerRequestFilter {

    static final int LEVEL = 3;
    private static final Set<String> COMPRESSIBLE = Set.of("application/json", "application/problem+json",
            "application/x-ndjson");

    private final ResponseCompression compression;

    ZstdResponseFilter(ResponseCompression compression) {
        this.compression = compression;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !compression.enabled() || "HEAD".equals(request.getMethod())
                || compression.coding(request) != ContentCoding.ZSTD;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ZstdResponse zstd = new ZstdResponse(response, compression.minResponseSize());
        chain.doFilter(request, zstd);
        zstd.finish();
    }

    /** A response whose body is held until it is known to be worth compressing, then compressed as it is written. */
    private static final class ZstdResponse extends HttpServletResponseWrapper {

        private final HttpServletResponse response;
        private final int threshold;
        private final ByteArrayOutputStream held = new ByteArrayOutputStream();
        private OutputStream body; // null until decided
        private boolean compressing;
        private long declaredLength = -1;
        private ServletOutputStream stream;
        private PrintWriter writer;

        ZstdResponse(HttpServletResponse response, int threshold) {
            super(response);
            this.response = response;
            this.threshold = threshold;
        }

        @Override
        public ServletOutputStream getOutputStream() {
            if (writer != null) {
                throw new IllegalStateException("getWriter() was already called");
            }
            if (stream == null) {
                stream = new Stream();
            }
            return stream;
        }

        @Override
        public PrintWriter getWriter() {
            if (writer == null) {
                if (stream != null) {
                    throw new IllegalStateException("getOutputStream() was already called");
                }
                String encoding = getCharacterEncoding();
                Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
                stream = new Stream();
                writer = new PrintWriter(new OutputStreamWriter(stream, charset));
            }
            return writer;
        }

        @Override
        public void setContentLength(int length) {
            setContentLengthLong(length);
        }

        @Override
        public void setContentLengthLong(long length) {
            // The length of what the handler writes; it is the length sent only if the answer is not compressed.
            if (body == null) {
                declaredLength = length;
            } else if (!compressing) {
                response.setContentLengthLong(length);
            }
        }

        @Override
        public void setHeader(String name, String value) {
            if (!contentLength(name, value)) {
                super.setHeader(name, value);
            }
        }

        @Override
        public void addHeader(String name, String value) {
            if (!contentLength(name, value)) {
                super.addHeader(name, value);
            }
        }

        /** Takes a {@code Content-Length} header as {@link #setContentLengthLong}; false for any other header. */
        private boolean contentLength(String name, String value) {
            if (!HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name)) {
                return false;
            }
            setContentLengthLong(Long.parseLong(value.strip()));
            return true;
        }

        @Override
        public void flushBuffer() throws IOException {
            if (writer != null) {
                writer.flush();
            }
            // An answer under the threshold is held until the handler returns (Spring flushes every answer at its
            // end); one past it is already being written.
            if (body != null) {
                body.flush();
                super.flushBuffer();
            }
        }

        @Override
        public void resetBuffer() {
            if (body != null) {
                throw new IllegalStateException("the response is already being written");
            }
            held.reset();
            super.resetBuffer();
        }

        @Override
        public void reset() {
            resetBuffer();
            super.reset();
        }

        /**
         * Chooses between compressing and passing through, then writes what was held: once the handler wrote the
         * threshold, or returned ({@code complete}).
         */
        private void decide(boolean complete) throws IOException {
            if (body != null) {
                return;
            }
            OutputStream out = response.getOutputStream();
            compressing = compressible() && held.size() >= threshold;
            if (compressing) {
                response.setHeader(HttpHeaders.CONTENT_ENCODING, ContentCoding.ZSTD.token());
                String vary = response.getHeader(HttpHeaders.VARY);
                if (vary == null || !vary.toLowerCase(Locale.ROOT).contains("accept-encoding")) {
                    response.addHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
                }
                String tag = response.getHeader(HttpHeaders.ETAG);
                if (tag != null && tag.startsWith("\"")) {
                    response.setHeader(HttpHeaders.ETAG, "W/" + tag);
                }
                ZstdOutputStreamNoFinalizer zstd = new ZstdOutputStreamNoFinalizer(out, LEVEL);
                zstd.setCloseFrameOnFlush(false);
                body = zstd;
            } else {
                if (declaredLength >= 0) {
                    response.setContentLengthLong(declaredLength);
                } else if (complete) {
                    response.setContentLength(held.size());
                }
                body = out;
            }
            held.writeTo(body);
            held.reset();
        }

        private boolean compressible() {
            int status = response.getStatus();
            if (response.getHeader(HttpHeaders.CONTENT_ENCODING) != null || status == 204 || status == 304
                    || status < 200) {
                return false;
            }
            String type = response.getContentType();
            if (type == null) {
                return false;
            }
            int semicolon = type.indexOf(';');
            String mediaType = (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
            return COMPRESSIBLE.contains(mediaType);
        }

        /** Ends the answer: what is still held is decided on as a whole, a zstd frame is closed. */
        void finish() throws IOException {
            if (writer != null) {
                writer.flush();
            }
            if (body == null) {
                if (held.size() == 0) {
                    return;
                }
                decide(true);
            }
            if (body instanceof ZstdOutputStreamNoFinalizer zstd) {
                zstd.close();
            }
        }

        private final class Stream extends ServletOutputStream {

            @Override
            public void write(int b) throws IOException {
                if (body != null) {
                    body.write(b);
                    return;
                }
                held.write(b);
                if (held.size() >= threshold) {
                    decide(false);
                }
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                if (body != null) {
                    body.write(bytes, offset, length);
                    return;
                }
                held.write(bytes, offset, length);
                if (held.size() >= threshold) {
                    decide(false);
                }
            }

            @Override
            public void flush() throws IOException {
                // A handler flushing at its end (Jackson does) must not force a small answer out compressed.
                if (body != null) {
                    body.flush();
                }
            }

            @Override
            public void close() throws IOException {
                // The filter ends the answer once the handler returns.
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException("asynchronous writes");
            }
        }
    }
}
