package io.docstream.platform.errors;

import java.util.Map;
import java.util.Objects;

/**
 * The request conflicts with the current state (an operation already running, say). {@code kind} names the
 * conflict for clients (it becomes the problem type), {@code details} carries what a client needs to resolve it.
 */
public class ConflictException extends RuntimeException {

    private final String kind;
    private final String title;
    private final Map<String, Object> details;

    public ConflictException(String kind, String title, String detail, Map<String, Object> details) {
        super(detail);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.title = Objects.requireNonNull(title, "title");
        this.details = Map.copyOf(details);
    }

    public String kind() {
        return kind;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> details() {
        return details;
    }
}
