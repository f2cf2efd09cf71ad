package io.docstream.platform.web;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An answer that is not a success, thrown by controllers and filters and rendered as RFC 9457
 * {@code application/problem+json} whose {@code type} is {@code https://docstream.io/problems/<slug>}.
 * The detail is shown to the client, so it never carries internals.
 */
public class ProblemException extends ErrorResponseException {

    public static final String TYPE_BASE = "https://docstream.io/problems/";

    public static final String MALFORMED_JSON = "malformed-json";
    public static final String INVALID_REQUEST = "invalid-request";
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String FORBIDDEN = "forbidden";
    public static final String NOT_FOUND = "not-found";
    public static final String METHOD_NOT_ALLOWED = "method-not-allowed";
    public static final String NOT_ACCEPTABLE = "not-acceptable";
    public static final String PAYLOAD_TOO_LARGE = "payload-too-large";
    public static final String PRECONDITION_FAILED = "precondition-failed";
    public static final String CONFLICT = "conflict";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported-media-type";
    public static final String SERVICE_UNAVAILABLE = "service-unavailable";
    public static final String INTERNAL_ERROR = "internal-error";

    private final String slug;

    public ProblemException(HttpStatus status, String slug, String title, String detail) {
        this(status, slug, title, detail, null);
    }

    public ProblemException(HttpStatus status, String slug, String title, String detail, Throwable cause) {
        super(status, problem(status, slug, title, detail), cause);
        this.slug = slug;
    }

    public static ProblemException invalidRequest(String detail) {
        return new ProblemException(HttpStatus.BAD_REQUEST, INVALID_REQUEST, "Invalid request", detail);
    }

    public static ProblemException malformed(String detail) {
        return new ProblemException(HttpStatus.BAD_REQUEST, MALFORMED_JSON, "Malformed JSON", detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(HttpStatus.NOT_FOUND, NOT_FOUND, "Not found", detail);
    }

    public static ProblemException payloadTooLarge(String detail) {
        return new ProblemException(HttpStatus.CONTENT_TOO_LARGE, PAYLOAD_TOO_LARGE, "Payload too large", detail);
    }

    /** The resource to create exists already. */
    public static ProblemException conflict(String detail) {
        return new ProblemException(HttpStatus.CONFLICT, CONFLICT, "Conflict", detail);
    }

    public static ProblemException preconditionFailed(String detail) {
        return new ProblemException(HttpStatus.PRECONDITION_FAILED, PRECONDITION_FAILED, "Precondition failed", detail);
    }

    public static ProblemException unauthorized(String detail, boolean invalidToken) {
        ProblemException problem = new ProblemException(HttpStatus.UNAUTHORIZED, UNAUTHORIZED, "Unauthorized", detail);
        problem.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE,
                invalidToken ? "Bearer realm=\"docstream\", error=\"invalid_token\"" : "Bearer realm=\"docstream\"");
        return problem;
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(HttpStatus.FORBIDDEN, FORBIDDEN, "Forbidden", detail);
    }

    /** A dependency is down or too slow; the client may retry after {@code retryAfter}. */
    public static ProblemException serviceUnavailable(String detail, Duration retryAfter) {
        return serviceUnavailable(detail, retryAfter, null);
    }

    public static ProblemException serviceUnavailable(String detail, Duration retryAfter, Throwable cause) {
        ProblemException problem = new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, SERVICE_UNAVAILABLE,
                "Service unavailable", detail, cause);
        problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
        return problem;
    }

    public String slug() {
        return slug;
    }

    static URI type(String slug) {
        return URI.create(TYPE_BASE + slug);
    }

    private static ProblemDetail problem(HttpStatus status, String slug, String title, String detail) {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(slug, "slug");
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type(slug));
        problem.setTitle(title);
        return problem;
    }
}
