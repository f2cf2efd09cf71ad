package io.docstream.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * Where the services are and which API key to call them with: one set of options, with the same names, defaults
 * (those of {@code docstream run}) and help, mixed into every command that talks to a running docstream. A group
 * command such as {@code keys} passes them on, so they may come before or after its subcommand.
 */
public final class ServiceOptions {

    @Option(names = "--data-dir", paramLabel = "DIR", scope = ScopeType.INHERIT, showDefaultValue = Visibility.ALWAYS,
            defaultValue = "${env:DOCSTREAM_DATA_DIR:-.docstream}",
            description = "Data directory of 'docstream run': the API key is read from <data-dir>/api-key, reports"
                    + " go below it.")
    Path dataDir;

    @Option(names = "--api-key-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "File holding the API key (default: <data-dir>/api-key); admin commands need the admin"
                    + " scope.")
    Path apiKeyFile;

    @Option(names = "--query-url", paramLabel = "URL", scope = ScopeType.INHERIT, showDefaultValue = Visibility.ALWAYS,
            defaultValue = "http://localhost:8080", description = "Base URL of the query API.")
    String queryUrl;

    @Option(names = "--ingest-url", paramLabel = "URL", scope = ScopeType.INHERIT,
            showDefaultValue = Visibility.ALWAYS, defaultValue = "http://localhost:8081",
            description = "Base URL of the ingest API.")
    String ingestUrl;

    @Option(names = "--indexer-url", paramLabel = "URL", scope = ScopeType.INHERIT,
            showDefaultValue = Visibility.ALWAYS, defaultValue = "http://localhost:8082",
            description = "Base URL of the indexer (replay, reindex, its metrics).")
    String indexerUrl;

    @Option(names = "--invalidator-url", paramLabel = "URL", scope = ScopeType.INHERIT,
            showDefaultValue = Visibility.ALWAYS, defaultValue = "http://localhost:8083",
            description = "Base URL of the invalidator (its metrics).")
    String invalidatorUrl;

    @Option(names = "--redis-uri", paramLabel = "URI", scope = ScopeType.INHERIT, showDefaultValue = Visibility.ALWAYS,
            defaultValue = "redis://localhost:6380",
            description = "The Redis the query API uses (the benchmarks' PING anchor); 6380 is 'docstream run''s.")
    URI redisUri;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    public Path dataDir() {
        return dataDir;
    }

    /** {@code --api-key-file}, else the key {@code docstream run} wrote into the data directory. */
    public Path apiKeyFile() {
        return apiKeyFile != null ? apiKeyFile : dataDir.resolve("api-key");
    }

    /** Reads the API key; a missing or empty file becomes the command's one-line {@code failure}. */
    public String apiKey(Function<String, ? extends CommandFailure> failure) {
        Path file = apiKeyFile();
        try {
            String key = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (key.isEmpty()) {
                throw failure.apply(file + " is empty");
            }
            return key;
        } catch (IOException e) {
            throw failure.apply("no API key at " + file.toAbsolutePath()
                    + "; start './docstream run' first (or pass --data-dir or --api-key-file)");
        }
    }

    public String queryUrl() {
        return withoutTrailingSlash(queryUrl);
    }

    public String ingestUrl() {
        return withoutTrailingSlash(ingestUrl);
    }

    public String indexerUrl() {
        return withoutTrailingSlash(indexerUrl);
    }

    public String invalidatorUrl() {
        return withoutTrailingSlash(invalidatorUrl);
    }

    public URI redisUri() {
        return redisUri;
    }

    /** Whether the user named {@code option} on the command line, rather than leaving it at its default. */
    public boolean given(String option) {
        ParseResult parsed = command.commandLine() == null ? null : command.commandLine().getParseResult();
        return parsed != null && parsed.hasMatchedOption(option);
    }

    public ServiceHttp queryApi(Duration timeout, Function<String, ? extends CommandFailure> failure) {
        return new ServiceHttp(queryUrl(), "the query API", apiKey(failure), timeout, failure);
    }

    public ServiceHttp ingest(Duration timeout, Function<String, ? extends CommandFailure> failure) {
        return new ServiceHttp(ingestUrl(), "the ingest API", apiKey(failure), timeout, failure);
    }

    public ServiceHttp indexer(Duration timeout, Function<String, ? extends CommandFailure> failure) {
        return new ServiceHttp(indexerUrl(), "the indexer", apiKey(failure), timeout, failure);
    }

    public ServiceHttp invalidator(Duration timeout, Function<String, ? extends CommandFailure> failure) {
        return new ServiceHttp(invalidatorUrl(), "the invalidator", apiKey(failure), timeout, failure);
    }

    private static String withoutTrailingSlash(String url) {
        return url.replaceAll("/+$", "");
    }
}
