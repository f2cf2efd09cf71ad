package io.docstream.cli.run;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Supplier;

/** Prints one aligned line per start-up or shut-down step, with how long the step took. */
final class StartupProgress {

    private final PrintStream out;

    StartupProgress(PrintStream out) {
        this.out = out;
    }

    <T> T step(String name, String detail, Supplier<T> action) {
        long started = System.nanoTime();
        T result = action.get();
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf(Locale.ROOT, "  %-20s %-34s ready in %5.1f s%n", name, detail, seconds);
        out.flush();
        return result;
    }

    void stopStep(String name, Runnable action) {
        long started = System.nanoTime();
        action.run();
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf(Locale.ROOT, "  %-20s %-34s in %5.1f s%n", name, "stopped", seconds);
        out.flush();
    }
}
