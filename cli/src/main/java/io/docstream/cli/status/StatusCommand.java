package io.docstream.cli.status;

import io.docstream.cli.CommandFailure;
import io.docstream.cli.ServiceOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docstream status}: consumer group lag, the key's tenant's documents by state, index vs PostgreSQL
 * vs topic counts with any difference explained, freshness, circuit breakers and cache hit rates.
 */
@Command(name = "status",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {
            "Show how the pipeline is doing: lag of every docstream consumer group, the tenant's documents by"
                    + " state, live documents in the index, PostgreSQL and the documents topic (differences"
                    + " explained), accepted-to-searchable freshness, circuit breakers and cache hit rates."
        })
public final class StatusCommand implements Callable<Integer> {

    @Mixin
    ServiceOptions services;

    @Option(names = "--json", description = "Print the status as JSON instead of tables.")
    boolean json;

    @Override
    public Integer call() {
        return CommandFailure.exitCode("status", () -> {
            run(System.out);
            return 0;
        });
    }

    void run(PrintStream out) {
        JsonMapper mapper = JsonMapper.builder().build();
        JsonNode status = new StatusClient(services.queryApi(Duration.ofSeconds(60), StatusException::new))
                .status();
        out.print(json ? mapper.writerWithDefaultPrettyPrinter().writeValueAsString(status) + System.lineSeparator()
                : StatusReport.render(status));
    }


    /** A failure the command reports as one line, without a stack trace. */
    static final class StatusException extends CommandFailure {
        StatusException(String message) {
            super(message);
        }
    }
}
