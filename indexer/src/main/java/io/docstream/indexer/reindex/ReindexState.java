package io.docstream.indexer.reindex;

/** Where a reindex stands; {@link #value()} is the name the API and the CLI show. */
enum ReindexState {

    IDLE("idle"),
    BUILDING("building"),
    CAUGHT_UP("caught-up"),
    SWITCHED("switched"),
    ROLLED_BACK("rolled-back"),
    FINISHED("finished"),
    FAILED("failed");

    private final String value;

    ReindexState(String value) {
        this.value = value;
    }

    String value() {
        return value;
    }

    /** Whether the reader is still running (a new reindex must wait for {@code finish}). */
    boolean active() {
        return this == BUILDING || this == CAUGHT_UP || this == SWITCHED || this == ROLLED_BACK;
    }
}
