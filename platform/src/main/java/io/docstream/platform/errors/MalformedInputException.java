package io.docstream.platform.errors;

/** Input that cannot be read at all, such as JSON that does not parse. */
public class MalformedInputException extends RuntimeException {

    public MalformedInputException(String detail) {
        super(detail);
    }
}
