package io.docstream.ingest.documents;

/** One thing wrong with a request, located by a JSON pointer into its body. */
record Violation(String pointer, String detail, boolean tooLarge) {

    static Violation invalid(String pointer, String detail) {
        return new Violation(pointer, detail, false);
    }

    static Violation tooLarge(String pointer, String detail) {
        return new Violation(pointer, detail, true);
    }
}
