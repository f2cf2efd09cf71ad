package io.docstream.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The wrk load generator, when installed: closed-loop runs with N connections, headers and the latency
 * percentiles passed through a small Lua script whose {@code done} hook prints one parsable line.
 */
final class Wrk {

    private static final Pattern SUMMARY = Pattern.compile("DOCSTREAM_BENCH requests=(\\d+) duration_us=(\\d+)"
            + " errors=(\\d+) non2xx=(\\d+) p50_us=([0-9.]+) p99_us=([0-9.]+)");

    private final Path executable;

    private Wrk(Path executable) {
        this.executable = executable;
    }

    /** wrk from the PATH, if there is one. */
    static Optional<Wrk> find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(directory, "wrk");
            if (Files.isExecutable(candidate)) {
                return Optional.of(new Wrk(candidate));
            }
        }
        return Optional.empty();
    }

    LoadRun run(String url, Map<String, String> headers, int connections, Duration duration) throws IOException,
            InterruptedException {
        Path script = Files.createTempFile("docstream-bench-", ".lua");
        try {
            Files.writeString(script, script(headers), StandardCharsets.UTF_8);
            List<String> command = List.of(executable.toString(), "-t", Integer.toString(Math.min(2, connections)),
                    "-c", Integer.toString(connections), "-d", Math.max(1, duration.toSeconds()) + "s",
                    "--timeout", "10s", "-s", script.toString(), url);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("wrk failed: " + output.strip());
            }
            return parse(output);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    static LoadRun parse(String output) throws IOException {
        Matcher summary = SUMMARY.matcher(output);
        if (!summary.find()) {
            throw new IOException("wrk printed no summary: " + output.strip());
        }
        return new LoadRun("wrk", Long.parseLong(summary.group(1)),
                Long.parseLong(summary.group(3)) + Long.parseLong(summary.group(4)),
                Long.parseLong(summary.group(2)) / 1e6, Double.parseDouble(summary.group(5)) / 1000,
                Double.parseDouble(summary.group(6)) / 1000);
    }

    static String script(Map<String, String> headers) {
        StringBuilder lua = new StringBuilder();
        headers.forEach((name, value) -> lua.append("wrk.headers[\"").append(name).append("\"] = \"")
                .append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n"));
        return lua.append("""
                done = function(summary, latency, requests)
                  local e = summary.errors
                  io.write(string.format("DOCSTREAM_BENCH requests=%d duration_us=%d errors=%d non2xx=%d"
                    .. " p50_us=%.1f p99_us=%.1f\\n", summary.requests, summary.duration,
                    e.connect + e.read + e.write + e.timeout, e.status,
                    latency:percentile(50), latency:percentile(99)))
                end
                """).toString();
    }
}
