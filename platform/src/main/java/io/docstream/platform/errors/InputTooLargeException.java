package io.docstream.platform.errors;

/** Input larger than the service accepts; nothing of it was taken. */
public class InputTooLargeException extends RuntimeException {

    public InputTooLargeException(String detail) {
        super(detail);
    }
}
