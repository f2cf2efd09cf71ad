package io.docstream.platform.errors;

/** Input the service cannot act on as given: a wrong value, shape or combination, never a fault of the service. */
public class InvalidInputException extends RuntimeException {

    public InvalidInputException(String detail) {
        super(detail);
    }
}
