package io.docstream.cli.compose;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A command-line checker the build does not ship (docker compose, promtool). Where it is missing the
 * check is skipped with a message, unless the named environment variable is {@code true} (CI sets it
 * and installs the tools), in which case the check fails instead.
 */
record ExternalTool(List<String> command) {

    /** What a finished command printed and how it exited. */
    record Result(int exitCode, String output) {
    }

    /** The first candidate that runs with {@code probeArguments} and exits 0. */
    static Optional<ExternalTool> find(List<List<String>> candidates, String... probeArguments) {
        for (List<String> candidate : candidates) {
            ExternalTool tool = new ExternalTool(candidate);
            try {
                if (tool.run(null, probeArguments).exitCode() == 0) {
                    return Optional.of(tool);
                }
            } catch (IllegalStateException notInstalled) {
                // try the next candidate
            }
        }
        return Optional.empty();
    }

    /** The tool, or a skipped (or, when {@code requiredBy} is true, failed) test when it is missing. */
    static ExternalTool require(Optional<ExternalTool> tool, String name, String requiredBy) {
        if (tool.isEmpty()) {
            String message = name + " is not installed here, so this check did not run";
            if ("true".equalsIgnoreCase(System.getenv(requiredBy))) {
                fail(message + ", but " + requiredBy + "=true requires it");
            }
            assumeTrue(false, message + " (set " + requiredBy + "=true to make that a failure)");
        }
        return tool.orElseThrow();
    }

    Result run(Path directory, String... arguments) {
        List<String> line = new ArrayList<>(command);
        line.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", line) + " did not finish in 2 minutes");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", line) + " could not be started", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
