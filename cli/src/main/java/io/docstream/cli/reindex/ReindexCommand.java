package io.docstream.cli.reindex;

import io.docstream.cli.CommandFailure;
import io.docstream.cli.ServiceOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code docstream reindex}: builds a new index target (another model or build) while the current one serves,
 * switches the alias once it has caught up, and keeps the old target for a rollback until {@code finish}.
 */
@Command(name = "reindex",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {
            "Rebuild the search index into a new target without downtime: 'start' reads the documents topic into it"
                    + " while the current target keeps serving, follows live changes, and switches the alias once"
                    + " caught up; 'rollback' points the alias back (nothing is lost: both targets stay current);"
                    + " 'finish' stops following and, with --drop-old, drops the target the alias left."
        },
        subcommands = { ReindexCommand.Start.class, ReindexCommand.Status.class, ReindexCommand.Switch.class,
                ReindexCommand.Rollback.class, ReindexCommand.Finish.class })
public final class ReindexCommand {

    @Mixin
    ServiceOptions services;

    @Option(names = "--json", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Print the reindex status as JSON.")
    boolean json;

    private static final Set<String> RUNNING = Set.of("building", "caught-up");

    ReindexClient client() {
        return new ReindexClient(services.indexer(Duration.ofSeconds(60), ReindexException::new));
    }

    int print(JsonMapper mapper, JsonNode status, PrintStream out) {
        if (json) {
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(status));
        } else {
            out.print(describe(status));
        }
        return "failed".equals(status.path("state").asString()) ? 1 : 0;
    }

    /** The status as a few lines and a table of targets. */
    static String describe(JsonNode status) {
        StringBuilder text = new StringBuilder();
        text.append("state     ").append(status.path("state").asString()).append('\n');
        text.append("alias     ").append(status.path("alias").asString()).append(" -> ")
                .append(status.path("current").asString("-")).append('\n');
        if (status.path("target").isString()) {
            text.append("target    ").append(status.path("target").asString()).append(" (model ")
                    .append(status.path("model").asString()).append(")\n");
            text.append("previous  ").append(status.path("previous").asString()).append(" (model ")
                    .append(status.path("previousModel").asString()).append(")\n");
            text.append("progress  ").append(progressLine(status)).append('\n');
        }
        if (status.path("error").isString()) {
            text.append("error     ").append(status.path("error").asString()).append('\n');
        }
        text.append(String.format(Locale.ROOT, "%n%-50s %-22s %10s  %s%n", "TARGET", "MODEL", "DOCUMENTS", ""));
        for (JsonNode target : status.path("targets")) {
            text.append(String.format(Locale.ROOT, "%-50s %-22s %,10d  %s%n", target.path("name").asString(),
                    target.path("model").asString(), target.path("documents").asLong(),
                    target.path("current").asBoolean() ? "<- alias" : ""));
        }
        return text.toString();
    }

    /** {@code 1,234 records  310.2 docs/s  lag 17}. */
    static String progressLine(JsonNode status) {
        long lag = status.path("lag").asLong(-1);
        return String.format(Locale.ROOT, "%,d records  %,d documents  %.1f docs/s  lag %s",
                status.path("records").asLong(), status.path("documents").asLong(),
                status.path("docsPerSecond").asDouble(), lag < 0 ? "-" : String.format(Locale.ROOT, "%,d", lag));
    }

    /** Runs one subcommand, turning a failure into one line on stderr and exit code 1. */
    abstract static class Sub implements Callable<Integer> {

        @ParentCommand
        ReindexCommand parent;

        @Override
        public Integer call() {
            return CommandFailure.exitCode("reindex", () -> run(JsonMapper.builder().build(), System.out));
        }

        abstract int run(JsonMapper mapper, PrintStream out);
    }

    @Command(name = "start", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "Start building a new target and follow it until the alias switches (or it has caught up"
                    + " with --no-auto-switch).")
    static final class Start extends Sub {

        @Option(names = "--model", paramLabel = "MODEL",
                description = "Embedding model of the new target (default: the current target's), e.g."
                        + " bge-small-en-v1.5-q.")
        String model;

        @Option(names = "--build", paramLabel = "BUILD",
                description = "Build name of the new target (default: one more than the highest).")
        String build;

        @Option(names = "--no-auto-switch", description = "Wait for 'reindex switch' instead of switching when caught up.")
        boolean noAutoSwitch;

        @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "PT1S",
                description = "How often progress is read, ISO-8601.")
        Duration pollInterval;

        @Override
        int run(JsonMapper mapper, PrintStream out) {
            ReindexClient client = parent.client();
            ObjectNode body = mapper.createObjectNode();
            if (model != null) {
                body.put("model", model);
            }
            if (build != null) {
                body.put("build", build);
            }
            body.put("autoSwitch", !noAutoSwitch);
            JsonNode status = client.start(body);
            String target = status.path("target").asString();
            if (!parent.json) {
                out.println("Reindexing into " + target + " (model " + status.path("model").asString() + "); "
                        + status.path("previous").asString() + " keeps serving ...");
            }
            String lastLine = "";
            while (RUNNING.contains(status.path("state").asString())
                    && !("caught-up".equals(status.path("state").asString()) && noAutoSwitch)) {
                if (!parent.json) {
                    String line = progressLine(status);
                    if (!line.equals(lastLine)) {
                        out.print("\r" + line + " ".repeat(Math.max(0, lastLine.length() - line.length())));
                        out.flush();
                        lastLine = line;
                    }
                }
                pause(pollInterval);
                status = client.status();
                if (!target.equals(status.path("target").asString())) {
                    throw new ReindexException("another reindex replaced this one; see 'docstream reindex status'");
                }
            }
            if (!parent.json) {
                out.print("\r" + progressLine(status) + " ".repeat(Math.max(0, lastLine.length()
                        - progressLine(status).length())));
                out.println();
                out.println(switch (status.path("state").asString()) {
                    case "switched" -> "Switched: the alias points at " + target + ". 'docstream reindex rollback'"
                            + " points it back; 'docstream reindex finish [--drop-old]' ends the reindex.";
                    case "caught-up" -> "Caught up. 'docstream reindex switch' points the alias at " + target + ".";
                    default -> "Reindex " + status.path("state").asString() + ": " + status.path("error").asString("");
                });
                return "failed".equals(status.path("state").asString()) ? 1 : 0;
            }
            return parent.print(mapper, status, out);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show the reindex's state and progress and every target of the alias.")
    static final class Status extends Sub {

        @Override
        int run(JsonMapper mapper, PrintStream out) {
            return parent.print(mapper, parent.client().status(), out);
        }
    }

    @Command(name = "switch", mixinStandardHelpOptions = true,
            description = "Point the alias at the new target (it must have caught up).")
    static final class Switch extends Sub {

        @Override
        int run(JsonMapper mapper, PrintStream out) {
            return parent.print(mapper, parent.client().action("switch", ""), out);
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Point the alias back at the previous target.")
    static final class Rollback extends Sub {

        @Override
        int run(JsonMapper mapper, PrintStream out) {
            return parent.print(mapper, parent.client().action("rollback", ""), out);
        }
    }

    @Command(name = "finish", mixinStandardHelpOptions = true,
            description = "Stop following the documents topic; with --drop-old, drop the target the alias does not"
                    + " point at.")
    static final class Finish extends Sub {

        @Option(names = "--drop-old", description = "Drop the target the alias does not point at.")
        boolean dropOld;

        @Override
        int run(JsonMapper mapper, PrintStream out) {
            return parent.print(mapper, parent.client().action("finish", "dropOld=" + dropOld), out);
        }
    }

    private static void pause(Duration interval) {
        try {
            Thread.sleep(interval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReindexException("interrupted; the reindex goes on, see 'docstream reindex status'");
        }
    }

    /** A failure the command reports as one line, without a stack trace. */
    static final class ReindexException extends CommandFailure {
        ReindexException(String message) {
            super(message);
        }
    }
}
