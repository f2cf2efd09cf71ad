package io.docstream.cli.replay;

import io.docstream.cli.CommandFailure;
import io.docstream.cli.ServiceOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code docstream replay}: re-runs the indexer over the documents topic from the earliest offset, a time or
 * given offsets, for every tenant or the key's own, and follows it to the end with a progress line.
 */
@Command(name = "replay",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {
            "Re-run the indexer over the documents topic. Every document's newest version is applied again,"
                    + " idempotently; with a warm embedding cache nothing is re-embedded.",
            "",
            "Refused while the indexer runs, unless --stop-indexer lets the indexer stop itself first (other"
                    + " indexer instances must be stopped by hand). Prints records, docs/s, lag and ETA until done."
        })
public final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--from", paramLabel = "WHERE",
            description = "'earliest' or an ISO-8601 time (2026-11-02T09:00:00Z); or use --offsets.")
    String from;

    @Option(names = "--offsets", paramLabel = "P=OFFSET,...",
            description = "Start offsets per partition, e.g. 0=12,1=40; partitions not named keep their position.")
    String offsets;

    @Option(names = "--tenant", paramLabel = "TENANT",
            description = "Re-apply only this tenant's documents (the API key's own tenant).")
    String tenant;

    @Option(names = "--stop-indexer", description = "Let the indexer stop itself before the replay instead of refusing.")
    boolean stopIndexer;

    @Mixin
    ServiceOptions services;

    @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "PT1S",
            description = "How often progress is read, ISO-8601.")
    Duration pollInterval;

    @Option(names = "--json", description = "Print the final replay status as JSON instead of progress lines.")
    boolean json;

    @Override
    public Integer call() {
        return CommandFailure.exitCode("replay", () -> run(System.out));
    }

    int run(PrintStream out) {
        JsonMapper mapper = JsonMapper.builder().build();
        ObjectNode body = body(mapper);
        ReplayClient client = new ReplayClient(services.indexer(Duration.ofSeconds(90), ReplayException::new));
        if (!json) {
            out.println("Replaying the documents topic from " + describe() + (tenant == null ? "" : " for tenant "
                    + tenant) + (stopIndexer ? " (stopping the indexer first)" : "") + " ...");
        }
        JsonNode status = client.start(body);
        String startedAt = status.path("startedAt").asString();
        String lastLine = "";
        while ("running".equals(status.path("state").asString())) {
            if (!json) {
                String line = progressLine(status);
                if (!line.equals(lastLine)) {
                    out.print("\r" + padded(line, lastLine));
                    out.flush();
                    lastLine = line;
                }
            }
            pause();
            status = client.status();
            if (!startedAt.equals(status.path("startedAt").asString())) {
                throw new ReplayException("another replay replaced this one; see GET " + ReplayClient.PATH);
            }
        }
        if (json) {
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(status));
        } else {
            out.print("\r" + padded(progressLine(status), lastLine));
            out.println();
            out.println(summary(status));
        }
        return "done".equals(status.path("state").asString()) ? 0 : 1;
    }

    ObjectNode body(JsonMapper mapper) {
        if ((from == null) == (offsets == null)) {
            throw new ReplayException("give exactly one of --from earliest|<ISO-8601 time> and --offsets P=OFFSET,...");
        }
        ObjectNode body = mapper.createObjectNode();
        if (from != null) {
            body.put("from", from);
        } else {
            ObjectNode byPartition = body.putObject("from").putObject("offsets");
            for (String entry : offsets.split(",")) {
                String[] parts = entry.strip().split("=");
                try {
                    if (parts.length != 2) {
                        throw new NumberFormatException();
                    }
                    byPartition.put(Integer.toString(Integer.parseInt(parts[0].strip())),
                            Long.parseLong(parts[1].strip()));
                } catch (NumberFormatException e) {
                    throw new ReplayException("--offsets takes partition=offset pairs such as 0=12,1=40, not '"
                            + entry + "'");
                }
            }
        }
        if (tenant != null) {
            body.put("tenant", tenant);
        }
        body.put("stopIndexer", stopIndexer);
        return body;
    }

    /** {@code 1,234/5,000 records  310.2 docs/s  lag 3,766  ETA 13 s}. */
    static String progressLine(JsonNode status) {
        JsonNode eta = status.path("etaSeconds");
        return String.format(Locale.ROOT, "%,d/%,d records  %.1f docs/s  lag %,d  ETA %s",
                status.path("records").asLong(), status.path("total").asLong(),
                status.path("docsPerSecond").asDouble(), status.path("lag").asLong(),
                eta.isNumber() ? eta.asLong() + " s" : "-");
    }

    /** Blank-pads a redrawn line so nothing of a longer previous line stays visible. */
    private static String padded(String line, String previous) {
        return line + " ".repeat(Math.max(0, previous.length() - line.length()));
    }

    static String summary(JsonNode status) {
        String state = status.path("state").asString();
        String counts = String.format(Locale.ROOT, "%,d re-applied, %,d skipped (other tenants), %,d chunks embedded",
                status.path("reapplied").asLong(), status.path("skipped").asLong(),
                status.path("embeddedChunks").asLong());
        return "done".equals(state)
                ? "Replay done: " + counts + "."
                : "Replay " + state + ": " + status.path("error").asString("") + " (" + counts + ")";
    }

    private String describe() {
        return from != null ? from : "offsets " + offsets;
    }

    private void pause() {
        try {
            Thread.sleep(pollInterval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayException("interrupted; the replay goes on, follow it with GET " + ReplayClient.PATH);
        }
    }


    /** A failure the command reports as one line, without a stack trace. */
    static final class ReplayException extends CommandFailure {
        ReplayException(String message) {
            super(message);
        }
    }
}
