package io.docstream.cli;

import java.io.PrintStream;
import java.util.function.IntSupplier;

/**
 * A failure a command reports as one line, {@code <command> failed: <why>} on stderr, with exit code 1 and no
 * stack trace: the services' answer or the missing input says what went wrong, the trace would not.
 */
public class CommandFailure extends RuntimeException {

    public CommandFailure(String message) {
        super(message);
    }

    public CommandFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** Runs a command's {@code body} and returns its exit code, or 1 after reporting a failure. */
    public static int exitCode(String command, IntSupplier body) {
        try {
            return body.getAsInt();
        } catch (CommandFailure e) {
            System.err.println(command + " failed: " + e.getMessage());
            return 1;
        }
    }

    /** As {@link #exitCode(String, IntSupplier)}, first ending the progress line {@code out} may be on. */
    public static int exitCode(String command, PrintStream out, IntSupplier body) {
        try {
            return body.getAsInt();
        } catch (CommandFailure e) {
            out.println();
            out.flush();
            System.err.println(command + " failed: " + e.getMessage());
            return 1;
        }
    }
}
