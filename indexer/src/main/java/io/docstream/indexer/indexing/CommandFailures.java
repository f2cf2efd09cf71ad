package io.docstream.indexer.indexing;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Tells a command's own bad data from an unavailable dependency. PostgreSQL data exceptions (SQLState
 * class 22) and integrity violations (class 23), and an {@link IllegalArgumentException} from chunking or
 * indexing, will fail the same way on every attempt: poison. Anything else (connection errors, class 08,
 * timeouts, an index that does not answer) may heal by itself, so it is never a reason to give a command up.
 */
final class CommandFailures {

    private CommandFailures() {
    }

    /** A failure the command itself caused, with a short reason for the DLQ. */
    record Poison(String reason, Exception cause) {
    }

    static Optional<Poison> poison(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sqlPoison(sql);
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalArgumentException invalid) {
                return Optional.of(new Poison("invalid command", invalid));
            }
        }
        return Optional.empty();
    }

    private static Optional<Poison> sqlPoison(SQLException sql) {
        String state = sql.getSQLState();
        if (state.equals("23503")) {
            return Optional.of(new Poison("foreign key violation", sql));
        }
        if (state.startsWith("23")) {
            return Optional.of(new Poison("integrity constraint violation", sql));
        }
        if (state.startsWith("22")) {
            return Optional.of(new Poison("invalid data", sql));
        }
        return Optional.empty();
    }
}
