package io.docstream.platform.web;

import java.io.IOException;

/** A request body that does not decode as its Content-Encoding says (a broken gzip stream): the client's fault. */
final class CorruptBodyException extends IOException {

    CorruptBodyException(Throwable cause) {
        super("The request body is not valid gzip: " + cause.getMessage(), cause);
    }
}
