package io.docstream.cli;

import io.docstream.cli.audit.AuditCommand;
import io.docstream.cli.bench.BenchCommand;
import io.docstream.cli.demo.DemoCommand;
import io.docstream.cli.dlq.DlqCommand;
import io.docstream.cli.eval.EvalCommand;
import io.docstream.cli.keys.KeysCommand;
import io.docstream.cli.queries.QueriesCommand;
import io.docstream.cli.reindex.ReindexCommand;
import io.docstream.cli.replay.ReplayCommand;
import io.docstream.cli.run.RunCommand;
import io.docstream.cli.status.StatusCommand;
import io.docstream.cli.tenants.TenantsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code docstream} operator tool; each subcommand lives in its own feature package. */
@Command(name = "docstream",
        mixinStandardHelpOptions = true,
        versionProvider = DocstreamCli.Version.class,
        description = {
            "Streaming document search: documents in through Kafka, hybrid search out.",
            "",
            "Start everything in one process with 'docstream run', then load a sample corpus with 'docstream demo';",
            "measure the caches with 'docstream bench cache' and search quality with 'docstream eval'."
        },
        subcommands = { RunCommand.class, DemoCommand.class, BenchCommand.class, EvalCommand.class, AuditCommand.class,
                DlqCommand.class, ReplayCommand.class, ReindexCommand.class, StatusCommand.class, KeysCommand.class,
                TenantsCommand.class, QueriesCommand.class, CommandLine.HelpCommand.class })
public final class DocstreamCli {

    private DocstreamCli() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests to parse arguments exactly as users type them. */
    public static CommandLine commandLine() {
        return new CommandLine(new DocstreamCli())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setUsageHelpAutoWidth(true);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = DocstreamCli.class.getPackage().getImplementationVersion();
            return new String[] { "docstream " + (version == null ? "development build" : version) };
        }
    }
}
