package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.tenancy.ApiKeys;
import io.docstream.platform.tenancy.Scope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.jooq.CloseableDSLContext;
import org.jooq.impl.DSL;
import tools.jackson.databind.json.JsonMapper;

/** Runs the query API's admin commands ({@code keys}, {@code tenants}) on the shared runtime, with keys of their own. */
public final class AdminCommands {

    private AdminCommands() {
    }

    /** A new key of {@code tenant} (created with the tenant if missing), in a file of its own. */
    public static Path keyFile(SharedCacheRuntime runtime, String tenant, String name, Set<Scope> scopes) {
        String jdbcUrl = "jdbc:postgresql://localhost:" + runtime.options().postgresPort() + "/postgres";
        try (CloseableDSLContext dsl = DSL.using(jdbcUrl, "postgres", "postgres")) {
            Path file = Files.createTempFile(runtime.dataDir(), tenant + "-key", "");
            Files.writeString(file, new ApiKeys(dsl).create(tenant, name, scopes).plainKey());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code command args} against the first query API with the key in {@code keyFile} and returns what it
     * printed; a failure is thrown as the command's {@link CommandFailure}.
     */
    public static String run(SharedCacheRuntime runtime, Path keyFile, String command, String... args) {
        String[] all = Stream.concat(Stream.of(command, "--query-url", runtime.queryUrls().getFirst(),
                "--api-key-file", keyFile.toString()), Stream.of(args)).toArray(String[]::new);
        QueryApiAdminCommand.Sub sub = (QueryApiAdminCommand.Sub) DocstreamCli.commandLine().parseArgs(all)
                .subcommand().subcommand().commandSpec().userObject();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        assertThat(sub.run(JsonMapper.builder().build(), new PrintStream(printed, true, StandardCharsets.UTF_8)))
                .isZero();
        return printed.toString(StandardCharsets.UTF_8);
    }
}
