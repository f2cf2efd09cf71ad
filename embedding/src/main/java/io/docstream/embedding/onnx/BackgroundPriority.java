package io.docstream.embedding.onnx;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the CPU priority of the calling thread, so that work nobody waits on at that moment (embedding a batch)
 * gives way to the threads that do answer someone. Linux schedules threads, not processes, so the thread's own id
 * ({@code /proc/thread-self}) is reniced with util-linux's {@code renice}; raising one's own niceness needs no
 * privilege. Where that is not possible (another OS, no {@code renice}) the thread keeps the default priority and
 * says so once in the log.
 */
final class BackgroundPriority {

    private static final Logger log = LoggerFactory.getLogger(BackgroundPriority.class);
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");
    private static volatile boolean warned;

    private BackgroundPriority() {
    }

    /** Sets the calling thread's niceness to {@code niceness} (1-19); true when it took effect. */
    static boolean lowerCurrentThread(int niceness) {
        if (niceness < 1 || niceness > 19) {
            throw new IllegalArgumentException("niceness must be between 1 and 19: " + niceness);
        }
        try {
            String threadId = Files.readSymbolicLink(THREAD_SELF).getFileName().toString();
            Process renice = new ProcessBuilder("renice", "-n", Integer.toString(niceness), "-p", threadId)
                    .redirectErrorStream(true).redirectOutput(Redirect.DISCARD).start();
            if (renice.waitFor(5, TimeUnit.SECONDS) && renice.exitValue() == 0) {
                return true;
            }
            renice.destroy();
            warnOnce("renice exited with " + (renice.isAlive() ? "no answer" : renice.exitValue()));
        } catch (IOException | UnsupportedOperationException e) {
            warnOnce(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** The niceness of the calling thread, or -1 where it cannot be read. */
    static int currentNiceness() {
        try {
            String stat = Files.readString(THREAD_SELF.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fields[16]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void warnOnce(String why) {
        if (!warned) {
            warned = true;
            log.info("embedding workers keep the default CPU priority ({})", why);
        }
    }
}
