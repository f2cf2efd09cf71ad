package io.docstream.cli.dlq;

import io.docstream.cli.CommandFailure;
import io.docstream.cli.ServiceOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docstream dlq}: the dead-letter queue of the indexer through ingest's admin API — list entries with
 * their reasons, show one, redrive one or all after a fix, purge, and counts per reason.
 */
@Command(name = "dlq",
        mixinStandardHelpOptions = true,
        description = {
            "Records the indexer could not process land in the dead-letter queue with their reason.",
            "List them, look at one, send them back to the documents topic after fixing the cause, or purge them.",
            "Uses an API key with the admin scope; you only see your tenant's entries."
        },
        subcommands = { DlqCommand.List.class, DlqCommand.Show.class, DlqCommand.Redrive.class,
            DlqCommand.Purge.class, DlqCommand.Stats.class })
public final class DlqCommand {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Mixin
    ServiceOptions services;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print the API's JSON answer instead of a table.")
    boolean json;

    /** Runs a subcommand, turning a failure into one line on stderr and exit code 1. */
    abstract static class Subcommand implements Callable<Integer> {

        @ParentCommand
        DlqCommand parent;

        @Spec
        CommandSpec spec;

        @Override
        public final Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                DlqClient dlq = new DlqClient(parent.services.ingest(Duration.ofSeconds(60), DlqException::new));
                JsonNode answer = run(dlq, out);
                if (parent.json && answer != null) {
                    out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
                }
                out.flush();
                return 0;
            } catch (DlqException e) {
                out.flush();
                spec.commandLine().getErr().println("dlq: " + e.getMessage());
                return 1;
            }
        }

        /** Does the work; prints the table itself unless {@code --json}, and returns the JSON to print. */
        abstract JsonNode run(DlqClient dlq, PrintWriter out);

        boolean table() {
            return !parent.json;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List your tenant's DLQ entries.")
    static final class List extends Subcommand {

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "Most entries to show (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--oldest", description = "Oldest first (default: newest first).")
        boolean oldest;

        @Override
        JsonNode run(DlqClient dlq, PrintWriter out) {
            JsonNode listing = dlq.list(limit, oldest);
            if (table()) {
                printEntries(listing, out);
            }
            return listing;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one entry: reason, headers, value.")
    static final class Show extends Subcommand {

        @Parameters(paramLabel = "ENTRY", description = "The entry, <partition>-<offset> as 'dlq list' shows it.")
        String entry;

        @Override
        JsonNode run(DlqClient dlq, PrintWriter out) {
            JsonNode detail = dlq.entry(entry);
            if (table()) {
                for (String field : java.util.List.of("id", "documentId", "key", "reason", "exception", "time",
                        "source", "redriven", "redrivenAt", "redrivenBy")) {
                    if (detail.hasNonNull(field)) {
                        out.printf(Locale.ROOT, "%-11s %s%n", field, detail.get(field).asString());
                    }
                }
                out.println("headers");
                detail.path("headers").properties().forEach(header ->
                        out.printf(Locale.ROOT, "  %s: %s%n", header.getKey(), header.getValue().asString()));
                out.println("value (" + detail.path("valueEncoding").asString("none") + ")");
                out.println(detail.path("value").asString(""));
            }
            return detail;
        }
    }

    @Command(name = "redrive", mixinStandardHelpOptions = true,
            description = "Send an entry (or all not yet redriven) back to the documents topic, after fixing the cause.")
    static final class Redrive extends Subcommand {

        @ArgGroup(multiplicity = "1")
        Target target;

        static final class Target {
            @Parameters(paramLabel = "ENTRY", description = "The entry to redrive.")
            String entry;

            @Option(names = "--all", required = true, description = "Redrive every entry not redriven yet.")
            boolean all;
        }

        @Override
        JsonNode run(DlqClient dlq, PrintWriter out) {
            if (target.all) {
                JsonNode answer = dlq.redriveAll();
                if (table()) {
                    answer.path("redriven").forEach(entry -> printRedriven(entry, out));
                    out.println(answer.path("count").asInt() + " entries redriven");
                }
                return answer;
            }
            JsonNode answer = dlq.redrive(target.entry);
            if (table()) {
                printRedriven(answer, out);
            }
            return answer;
        }

        private static void printRedriven(JsonNode entry, PrintWriter out) {
            out.printf(Locale.ROOT, "%s redriven to %s partition %d offset %d%n", entry.path("id").asString(),
                    entry.path("topic").asString(), entry.path("partition").asInt(), entry.path("offset").asLong());
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true,
            description = "Purge all your tenant's entries (they disappear from 'dlq list'; Kafka drops them once"
                    + " every record before them is purged too, or at the topic's retention).")
    static final class Purge extends Subcommand {

        @Option(names = "--yes", description = "Do not ask for confirmation.")
        boolean yes;

        @Override
        JsonNode run(DlqClient dlq, PrintWriter out) {
            if (!yes) {
                int total = dlq.list(1, false).path("total").asInt();
                if (total == 0) {
                    out.println("nothing to purge");
                    return null;
                }
                out.print("Purge " + total + " DLQ entries? This cannot be undone. [y/N] ");
                out.flush();
                if (!confirmed()) {
                    out.println("not purged");
                    return null;
                }
            }
            JsonNode answer = dlq.purge();
            if (table()) {
                out.println(answer.path("purged").asInt() + " entries purged, "
                        + answer.path("deletedFromTopic").asLong() + " records deleted from the topic");
            }
            return answer;
        }

        private static boolean confirmed() {
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                return line != null && (line.strip().equalsIgnoreCase("y") || line.strip().equalsIgnoreCase("yes"));
            } catch (IOException e) {
                return false;
            }
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true, description = "Counts of your tenant's entries per reason.")
    static final class Stats extends Subcommand {

        @Override
        JsonNode run(DlqClient dlq, PrintWriter out) {
            JsonNode listing = dlq.list(1, false);
            if (table()) {
                out.printf(Locale.ROOT, "%-40s %8s%n", "REASON", "ENTRIES");
                listing.path("countsByReason").properties().forEach(reason ->
                        out.printf(Locale.ROOT, "%-40s %8d%n", reason.getKey(), reason.getValue().asLong()));
                out.printf(Locale.ROOT, "%-40s %8d%n", "total", listing.path("total").asLong());
                out.printf(Locale.ROOT, "%-40s %8d%n", "not redriven yet", listing.path("pending").asLong());
                out.printf(Locale.ROOT, "%-40s %8d%n", "unattributed (no tenant in key)",
                        listing.path("unattributed").asLong());
            }
            return listing;
        }
    }

    static void printEntries(JsonNode listing, PrintWriter out) {
        out.printf(Locale.ROOT, "%-10s %-24s %-24s %-30s %s%n", "ENTRY", "TIME", "DOCUMENT", "REASON", "REDRIVEN");
        listing.path("entries").forEach(entry -> out.printf(Locale.ROOT, "%-10s %-24s %-24s %-30s %s%n",
                entry.path("id").asString(), entry.path("time").asString(), entry.path("documentId").asString("-"),
                entry.path("reason").asString(), entry.path("redriven").asBoolean() ? "yes" : "no"));
        out.println(listing.path("entries").size() + " of " + listing.path("total").asInt() + " entries, "
                + listing.path("pending").asInt() + " not redriven; " + listing.path("unattributed").asInt()
                + " unattributed");
    }

    /** A failure reported as one line, without a stack trace. */
    static final class DlqException extends CommandFailure {
        DlqException(String message) {
            super(message);
        }
    }
}
