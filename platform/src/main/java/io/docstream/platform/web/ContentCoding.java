package io.docstream.platform.web;

import java.util.Locale;

/**
 * The content codings docstream answers in, and the one a request's {@code Accept-Encoding} prefers (RFC 9110
 * section 12.5.3): the highest quality value wins, zstd before gzip when a client rates them alike (it decodes
 * faster and compresses JSON as well or better), identity when the client accepts neither.
 */
public enum ContentCoding {

    IDENTITY(null), GZIP("gzip"), ZSTD("zstd");

    private final String token;

    ContentCoding(String token) {
        this.token = token;
    }

    /** The {@code Content-Encoding} value, null for identity. */
    public String token() {
        return token;
    }

    /** What a client that sent this {@code Accept-Encoding} (null when it sent none) is best answered in. */
    public static ContentCoding preferred(String acceptEncoding) {
        if (acceptEncoding == null || acceptEncoding.isEmpty()) {
            return IDENTITY;
        }
        double zstd = Double.NaN;
        double gzip = Double.NaN;
        double any = Double.NaN;
        for (String element : acceptEncoding.split(",")) {
            int semicolon = element.indexOf(';');
            String coding = (semicolon < 0 ? element : element.substring(0, semicolon)).strip()
                    .toLowerCase(Locale.ROOT);
            double quality = semicolon < 0 ? 1 : quality(element.substring(semicolon + 1));
            switch (coding) {
                case "zstd" -> zstd = quality;
                case "gzip", "x-gzip" -> gzip = quality;
                case "*" -> any = quality;
                default -> {
                }
            }
        }
        double zstdQuality = Double.isNaN(zstd) ? (Double.isNaN(any) ? 0 : any) : zstd;
        double gzipQuality = Double.isNaN(gzip) ? (Double.isNaN(any) ? 0 : any) : gzip;
        if (zstdQuality <= 0 && gzipQuality <= 0) {
            return IDENTITY;
        }
        return zstdQuality >= gzipQuality ? ZSTD : GZIP;
    }

    /** The {@code q} of an element's parameters; an unreadable one counts as 0 (the coding is not used). */
    private static double quality(String parameters) {
        for (String parameter : parameters.split(";")) {
            String trimmed = parameter.strip();
            if (trimmed.length() > 2 && (trimmed.charAt(0) == 'q' || trimmed.charAt(0) == 'Q')
                    && trimmed.charAt(1) == '=') {
                try {
                    double q = Double.parseDouble(trimmed.substring(2));
                    return q >= 0 && q <= 1 ? q : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
