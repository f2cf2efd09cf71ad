package io.docstream.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** A docstream command run as a user would run it, in this JVM, with its exit code and its captured output. */
record CliRun(int exitCode, String output) {

    /** Runs the command; the captured output is also echoed to the real console for the test log. */
    static CliRun run(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        PrintStream originalErr = System.err;
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            int exit = DocstreamCli.commandLine().execute(args);
            return new CliRun(exit, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
            System.setErr(originalErr);
            original.print(captured.toString(StandardCharsets.UTF_8));
        }
    }
}
