package io.docstream.platform.web;

import java.io.IOException;

/** Raised while reading a request body past the configured limit; an IOException so readers pass it on. */
final class RequestTooLargeException extends IOException {

    RequestTooLargeException(long limit) {
        super("request body exceeds " + limit + " bytes");
    }
}
