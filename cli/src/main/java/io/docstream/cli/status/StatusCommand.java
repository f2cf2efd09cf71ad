package io.docstream.cli.status;

import io.docstream.cli.ApiKeyFile;
import io.docstream.cli.CommandFailure;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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

    @Option(names = "--query-url", paramLabel = "URL", defaultValue = "http://localhost:8080",
            description = "Base URL of the query API.")
    String queryUrl;

    @Option(names = "--api-key-file", paramLabel = "FILE",
            defaultValue = "${env:DOCSTREAM_DATA_DIR:-.docstream}/api-key",
            description = "File holding an API key with the admin scope.")
    Path apiKeyFile;

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
        JsonNode status = new StatusClient(mapper, readApiKey(), queryUrl).status();
        out.print(json ? mapper.writerWithDefaultPrettyPrinter().writeValueAsString(status) + System.lineSeparator()
                : StatusReport.render(status));
    }

    private String readApiKey() {
        return ApiKeyFile.readFile(apiKeyFile, StatusException::new);
    }


    /** A failure the command reports as one line, without a stack trace. */
    static final class StatusException extends CommandFailure {
        StatusException(String message) {
            super(message);
        }
    }
}
