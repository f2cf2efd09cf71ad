package io.docstream.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds request bodies: a declared Content-Length over the limit is refused before reading, and a
 * chunked body is cut off as soon as it passes the limit, so no request can make the server buffer
 * more than the limit. A body sent with {@code Content-Encoding: gzip} is inflated here, and the limit
 * holds for the inflated bytes too (a zip bomb is a 413 after reading at most the limit); any other
 * encoding than gzip or identity is a 415.
 */
final class RequestSizeLimitFilter extends OncePerRequestFilter {

    private final long limit;
    private final ProblemResponses problems;

    RequestSizeLimitFilter(long limit, ProblemResponses problems) {
        this.limit = limit;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > limit) {
            problems.send(request, response, ProblemException.payloadTooLarge(
                    "The request body exceeds " + limit + " bytes."));
            return;
        }
        String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
        boolean gzip = false;
        if (encoding != null && !encoding.isBlank()) {
            String name = encoding.strip().toLowerCase(Locale.ROOT);
            gzip = name.equals("gzip") || name.equals("x-gzip");
            if (!gzip && !name.equals("identity")) {
                problems.send(request, response, new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                        ProblemException.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
                        "Content-Encoding '" + encoding.strip() + "' is not supported; send gzip or identity."));
                return;
            }
        }
        chain.doFilter(gzip ? new GzipRequest(request, limit) : new LimitedRequest(request, limit), response);
    }

    /** A gzip body, inflated as it is read and bounded before and after inflating; it no longer says it is gzip. */
    private static final class GzipRequest extends LimitedRequest {

        private ServletInputStream inflated;

        GzipRequest(HttpServletRequest request, long limit) {
            super(request, limit);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (inflated == null) {
                inflated = new LimitedInputStream(new InflatingInputStream(super.getInputStream()), limit());
            }
            return inflated;
        }

        @Override
        public long getContentLengthLong() {
            return -1;
        }

        @Override
        public int getContentLength() {
            return -1;
        }

        @Override
        public String getHeader(String name) {
            return isEncodingHeader(name) || HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name) ? null
                    : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return isEncodingHeader(name) || HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name)
                    ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        private static boolean isEncodingHeader(String name) {
            return HttpHeaders.CONTENT_ENCODING.equalsIgnoreCase(name);
        }
    }

    /** Inflates a gzip stream; a body that is not gzip is a {@link CorruptBodyException}. */
    private static final class InflatingInputStream extends ServletInputStream {

        private final ServletInputStream raw;
        private GZIPInputStream gzip;
        private boolean finished;

        InflatingInputStream(ServletInputStream raw) {
            this.raw = raw;
        }

        private GZIPInputStream gzip() throws IOException {
            if (gzip == null) {
                try {
                    gzip = new GZIPInputStream(raw, 8192);
                } catch (ZipException | EOFException e) {
                    throw new CorruptBodyException(e);
                }
            }
            return gzip;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int count = read(one, 0, 1);
            return count <= 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                int count = gzip().read(buffer, offset, length);
                finished = count < 0;
                return count;
            } catch (ZipException | EOFException e) {
                throw new CorruptBodyException(e);
            }
        }

        @Override
        public boolean isFinished() {
            return finished;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException("gzip bodies are read blocking");
        }

        @Override
        public void close() throws IOException {
            raw.close();
        }
    }

    private static class LimitedRequest extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        long limit() {
            return limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedInputStream(super.getInputStream(), limit);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    private static final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream delegate;
        private final long limit;
        private long read;

        LimitedInputStream(ServletInputStream delegate, long limit) {
            this.delegate = delegate;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int value = delegate.read();
            if (value >= 0) {
                count(1);
            }
            return value;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int count = delegate.read(buffer, offset, length);
            if (count > 0) {
                count(count);
            }
            return count;
        }

        private void count(int bytes) throws RequestTooLargeException {
            read += bytes;
            if (read > limit) {
                throw new RequestTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }
}
