package io.docstream.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Resident memory of the JVM that runs the services ({@code docstream run}, which holds every service in one
 * process): the peak over the process's life (VmHWM) and the largest VmRSS sampled while a scenario ran, both
 * read from {@code /proc/<pid>/status} (Linux only; elsewhere the figures are missing).
 */
final class ServiceMemory {

    private static final long SAMPLE_MILLIS = 200;

    private final Long pid;

    private ServiceMemory(Long pid) {
        this.pid = pid;
    }

    /** The given process, or else the one local process whose command line is {@code DocstreamCli ... run}. */
    static ServiceMemory locate(Long pid) {
        if (pid != null) {
            return new ServiceMemory(pid);
        }
        long self = ProcessHandle.current().pid();
        List<Long> candidates = ProcessHandle.allProcesses()
                .filter(process -> process.pid() != self)
                .filter(process -> process.info().commandLine().map(ServiceMemory::isRunCommand).orElse(false))
                .map(ProcessHandle::pid)
                .toList();
        return new ServiceMemory(candidates.size() == 1 ? candidates.getFirst() : null);
    }

    static boolean isRunCommand(String commandLine) {
        List<String> words = List.of(commandLine.strip().split("\\s+"));
        int main = words.indexOf("io.docstream.cli.DocstreamCli");
        return main >= 0 && main + 1 < words.size() && words.get(main + 1).equals("run");
    }

    Optional<Long> pid() {
        return Optional.ofNullable(pid);
    }

    /** Samples VmRSS until closed, then reports its maximum and the process's VmHWM. */
    Sampler sample() {
        return new Sampler();
    }

    /** A {@code /proc/<pid>/status} field in kB, or -1 when it cannot be read. */
    long readKb(String field) {
        if (pid == null) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid.toString(), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** A background thread reading VmRSS every {@value #SAMPLE_MILLIS} ms. */
    final class Sampler implements AutoCloseable {

        private final AtomicLong maxRssKb = new AtomicLong(-1);
        private final Thread thread;
        private volatile boolean running = true;

        private Sampler() {
            thread = Thread.ofPlatform().daemon(true).name("bench-rss-sampler").start(() -> {
                while (running) {
                    long rss = readKb("VmRSS");
                    maxRssKb.accumulateAndGet(rss, Math::max);
                    try {
                        Thread.sleep(SAMPLE_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            maxRssKb.accumulateAndGet(readKb("VmRSS"), Math::max);
        }

        /** The largest VmRSS during the scenario and the peak (VmHWM) of the process, in MB. */
        BenchReport.Memory report() {
            // the kernel updates the high-water mark lazily, so a sample can exceed what VmHWM shows
            long hwm = readKb("VmHWM");
            return new BenchReport.Memory(pid, megabytes(maxRssKb.get()),
                    megabytes(hwm < 0 ? -1 : Math.max(hwm, maxRssKb.get())));
        }

        double maxRssMb() {
            Double mb = megabytes(maxRssKb.get());
            return mb == null ? Double.NaN : mb;
        }
    }

    private static Double megabytes(long kb) {
        return kb < 0 ? null : BenchFigures.round(kb / 1024.0);
    }
}
