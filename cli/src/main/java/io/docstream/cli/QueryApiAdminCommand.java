package io.docstream.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A command whose subcommands call the query API's admin endpoints ({@code keys}, {@code tenants}): the same
 * connection options and {@code --json} for all of them, and a subcommand's failure reported as one line.
 */
public abstract class QueryApiAdminCommand {

    @Mixin
    public ServiceOptions services;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print the answer as JSON.")
    public boolean json;

    private final String name;

    protected QueryApiAdminCommand(String name) {
        this.name = name;
    }

    public ServiceHttp queryApi() {
        return services.queryApi(Duration.ofSeconds(30), CommandFailure::new);
    }

    /** Runs one subcommand, turning a failure into one line on stderr and exit code 1. */
    public abstract static class Sub implements Callable<Integer> {

        @ParentCommand
        protected QueryApiAdminCommand parent;

        @Override
        public Integer call() {
            return CommandFailure.exitCode(parent.name, () -> run(JsonMapper.builder().build(), System.out));
        }

        /** Runs the subcommand, printing to {@code out}; returns its exit code. */
        public abstract int run(JsonMapper mapper, PrintStream out);

        /** Prints {@code answer} as JSON when {@code --json} asks for it, and says whether it did. */
        protected boolean printedJson(JsonMapper mapper, JsonNode answer, PrintStream out) {
            if (parent.json) {
                out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
            }
            return parent.json;
        }
    }
}
