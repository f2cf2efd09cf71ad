package io.docstream.cli.demo;

import java.io.PrintStream;

/** A one-line terminal progress bar, redrawn in place: {@code [#####.....] 30/60 docs posted}. */
final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final int total;
    private final String label;
    private String lastLine = "";

    ProgressBar(PrintStream out, int total, String label) {
        this.out = out;
        this.total = total;
        this.label = label;
    }

    void update(int done) {
        String line = render(done, total, label);
        if (!line.equals(lastLine)) {
            out.print("\r" + line);
            out.flush();
            lastLine = line;
        }
    }

    void finish() {
        out.println();
    }

    static String render(int done, int total, String label) {
        int clamped = Math.max(0, Math.min(done, total));
        int filled = total == 0 ? WIDTH : clamped * WIDTH / total;
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + clamped + "/" + total + " " + label;
    }
}
