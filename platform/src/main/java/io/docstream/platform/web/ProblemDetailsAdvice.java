package io.docstream.platform.web;

import io.docstream.platform.errors.ConflictException;
import io.docstream.platform.errors.InputTooLargeException;
import io.docstream.platform.errors.InvalidInputException;
import io.docstream.platform.errors.MalformedInputException;
import io.docstream.platform.errors.NotYetConsistentException;
import io.docstream.platform.errors.TemporarilyUnavailableException;
import io.docstream.platform.resilience.RemoteCall;
import java.net.ConnectException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.List;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The one place where exceptions become RFC 9457 problem details: the domain's ({@code io.docstream.platform.errors}),
 * Spring MVC's own (through {@link ResponseEntityExceptionHandler}) and the web layer's {@link ProblemException},
 * each with its stable {@code type}. Anything unexpected is a 500 with a generic detail: stack traces and messages
 * stay in the log.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);
    private static final Duration UNAVAILABLE_RETRY_AFTER = Duration.ofSeconds(5);

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception exception, WebRequest request) {
        if (causeOf(exception, RequestTooLargeException.class) != null) {
            return problem(ProblemException.payloadTooLarge(causeOf(exception, RequestTooLargeException.class)
                    .getMessage()), request);
        }
        if (causeOf(exception, CorruptBodyException.class) != null) {
            return problem(ProblemException.invalidRequest(causeOf(exception, CorruptBodyException.class).getMessage()),
                    request);
        }
        if (isUnavailableDependency(exception)) {
            log.warn("dependency unavailable while handling {}: {}", describe(request), exception.toString());
            return problem(ProblemException.serviceUnavailable("A dependency is temporarily unavailable; retry later.",
                    UNAVAILABLE_RETRY_AFTER), request);
        }
        log.error("unexpected error while handling {}", describe(request), exception);
        return problem(new ProblemException(HttpStatus.INTERNAL_SERVER_ERROR, ProblemException.INTERNAL_ERROR,
                "Internal error", "The server could not complete the request."), request);
    }

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<Object> handleInvalidInput(InvalidInputException exception, WebRequest request) {
        return problem(ProblemException.invalidRequest(exception.getMessage()), request);
    }

    @ExceptionHandler(MalformedInputException.class)
    ResponseEntity<Object> handleMalformedInput(MalformedInputException exception, WebRequest request) {
        return problem(ProblemException.malformed(exception.getMessage()), request);
    }

    @ExceptionHandler(InputTooLargeException.class)
    ResponseEntity<Object> handleInputTooLarge(InputTooLargeException exception, WebRequest request) {
        return problem(ProblemException.payloadTooLarge(exception.getMessage()), request);
    }

    @ExceptionHandler(NotYetConsistentException.class)
    ResponseEntity<Object> handleNotYetConsistent(NotYetConsistentException exception, WebRequest request) {
        ProblemException problem = new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, NotYetConsistentException.KIND,
                "Not yet consistent", exception.getMessage());
        problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, exception.retryAfter().toSeconds())));
        return problem(problem, request);
    }

    @ExceptionHandler(TemporarilyUnavailableException.class)
    ResponseEntity<Object> handleUnavailable(TemporarilyUnavailableException exception, WebRequest request) {
        log.warn("unavailable while handling {}: {}", describe(request), exception.toString());
        return problem(ProblemException.serviceUnavailable(exception.getMessage(), exception.retryAfter(),
                exception.getCause()), request);
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<Object> handleConflict(ConflictException exception, WebRequest request) {
        ProblemException problem = new ProblemException(HttpStatus.CONFLICT, exception.kind(), exception.title(),
                exception.getMessage());
        exception.details().forEach(problem.getBody()::setProperty);
        return problem(problem, request);
    }

    /** Tomcat could not decode the query string (not UTF-8) or it holds too many parameters: the client's fault. */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<Object> handleInvalidParameters(InvalidParameterException exception, WebRequest request) {
        return problem(ProblemException.invalidRequest("The query parameters could not be read: they must be "
                + "percent-encoded UTF-8, and not too many."), request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        RequestTooLargeException tooLarge = causeOf(exception, RequestTooLargeException.class);
        if (tooLarge != null) {
            return problem(ProblemException.payloadTooLarge(tooLarge.getMessage()), request);
        }
        CorruptBodyException corrupt = causeOf(exception, CorruptBodyException.class);
        if (corrupt != null) {
            return problem(ProblemException.invalidRequest(corrupt.getMessage()), request);
        }
        return problem(unreadable(exception), request);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception exception, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail detail ? detail
                : exception instanceof ErrorResponse response ? response.getBody()
                : ProblemDetail.forStatus(statusCode);
        if (!(exception instanceof ProblemException)) {
            String slug = slugFor(statusCode);
            problem.setType(ProblemException.type(slug));
            problem.setTitle(titleFor(slug));
            if (statusCode.is5xxServerError()) {
                problem.setDetail(statusCode.value() == 503 ? "The service is temporarily unavailable; retry later."
                        : "The server could not complete the request.");
            }
        }
        if (statusCode.is5xxServerError() && !(exception instanceof ProblemException)) {
            log.error("server error while handling {}", describe(request), exception);
        } else {
            log.debug("client error {} while handling {}: {}", statusCode.value(), describe(request), exception.toString());
        }
        if (statusCode.value() == 503 && !headers.containsHeader(HttpHeaders.RETRY_AFTER)) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(UNAVAILABLE_RETRY_AFTER.toSeconds()));
        }
        return super.handleExceptionInternal(exception, problem, headers, statusCode, request);
    }

    private ResponseEntity<Object> problem(ProblemException problem, WebRequest request) {
        return handleExceptionInternal(problem, problem.getBody(), HttpHeaders.copyOf(problem.getHeaders()),
                problem.getStatusCode(), request);
    }

    private static ProblemException unreadable(HttpMessageNotReadableException exception) {
        JacksonException jackson = causeOf(exception, JacksonException.class);
        if (jackson == null) {
            return ProblemException.invalidRequest("A request body is required.");
        }
        String field = fieldPath(jackson);
        if (jackson instanceof UnrecognizedPropertyException) {
            return ProblemException.invalidRequest("Unknown field '" + field + "'.");
        }
        if (jackson instanceof InvalidNullException) {
            return ProblemException.invalidRequest("Field '" + field + "' must not be null.");
        }
        if (jackson instanceof MismatchedInputException || jackson instanceof InputCoercionException) {
            return field.isEmpty()
                    ? ProblemException.invalidRequest("The request body has the wrong shape.")
                    : ProblemException.invalidRequest("Field '" + field + "' has the wrong type.");
        }
        if (jackson instanceof StreamReadException) {
            return ProblemException.malformed("The request body is not valid JSON" + location(jackson) + ".");
        }
        return field.isEmpty()
                ? ProblemException.invalidRequest("The request body could not be read.")
                : ProblemException.invalidRequest("Field '" + field + "' is invalid.");
    }

    private static String fieldPath(JacksonException exception) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : exception.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String location(JacksonException exception) {
        if (exception.getLocation() == null || exception.getLocation().getLineNr() < 1) {
            return "";
        }
        return " (line " + exception.getLocation().getLineNr() + ", column " + exception.getLocation().getColumnNr() + ")";
    }

    private static boolean isUnavailableDependency(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (RemoteCall.refused(cause)) {
                return true;
            }
        }
        return List.of(DataAccessResourceFailureException.class, TransientDataAccessException.class,
                        CannotCreateTransactionException.class, SQLTransientException.class,
                        SQLNonTransientConnectionException.class, ConnectException.class)
                .stream().anyMatch(type -> causeOf(exception, type) != null);
    }

    static String slugFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> ProblemException.INVALID_REQUEST;
            case 401 -> ProblemException.UNAUTHORIZED;
            case 403 -> ProblemException.FORBIDDEN;
            case 404 -> ProblemException.NOT_FOUND;
            case 405 -> ProblemException.METHOD_NOT_ALLOWED;
            case 406 -> ProblemException.NOT_ACCEPTABLE;
            case 409 -> ProblemException.CONFLICT;
            case 413 -> ProblemException.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemException.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ProblemException.SERVICE_UNAVAILABLE;
            default -> status.is4xxClientError() ? ProblemException.INVALID_REQUEST : ProblemException.INTERNAL_ERROR;
        };
    }

    static String titleFor(String slug) {
        return switch (slug) {
            case ProblemException.INVALID_REQUEST -> "Invalid request";
            case ProblemException.UNAUTHORIZED -> "Unauthorized";
            case ProblemException.FORBIDDEN -> "Forbidden";
            case ProblemException.NOT_FOUND -> "Not found";
            case ProblemException.METHOD_NOT_ALLOWED -> "Method not allowed";
            case ProblemException.NOT_ACCEPTABLE -> "Not acceptable";
            case ProblemException.CONFLICT -> "Conflict";
            case ProblemException.PAYLOAD_TOO_LARGE -> "Payload too large";
            case ProblemException.UNSUPPORTED_MEDIA_TYPE -> "Unsupported media type";
            case ProblemException.SERVICE_UNAVAILABLE -> "Service unavailable";
            default -> "Internal error";
        };
    }

    private static String describe(WebRequest request) {
        return request.getDescription(false);
    }

    static <T extends Throwable> T causeOf(Throwable exception, Class<T> type) {
        for (Throwable current = exception; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return null;
    }
}
