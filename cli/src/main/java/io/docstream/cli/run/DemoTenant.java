package io.docstream.cli.run;

import io.docstream.platform.tenancy.ApiKeys;
import io.docstream.platform.tenancy.CreatedApiKey;
import io.docstream.platform.tenancy.Scope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Tenant {@code demo} and its all-scopes API key, created on the first start and kept in a file readable only
 * by its owner. Later starts reuse the file; a key the database no longer knows (a wiped database) is replaced.
 */
final class DemoTenant {

    static final String TENANT = "demo";
    private static final String KEY_NAME = "embedded runtime";

    private DemoTenant() {
    }

    /** Returns the key and whether it was just created. */
    static Key ensure(DataSource dataSource, Path keyFile) {
        ApiKeys apiKeys = new ApiKeys(DSL.using(dataSource, SQLDialect.POSTGRES));
        String existing = read(keyFile);
        if (existing != null && apiKeys.authenticate(existing).isPresent()) {
            return new Key(existing, false);
        }
        apiKeys.ensureTenant(TENANT);
        CreatedApiKey created = apiKeys.create(TENANT, KEY_NAME, EnumSet.allOf(Scope.class));
        write(keyFile, created.plainKey());
        return new Key(created.plainKey(), true);
    }

    record Key(String plainKey, boolean created) {
        @Override
        public String toString() {
            return "Key[created=" + created + "]";
        }
    }

    private static String read(Path keyFile) {
        try {
            if (!Files.isRegularFile(keyFile)) {
                return null;
            }
            String key = Files.readString(keyFile, StandardCharsets.UTF_8).strip();
            return key.isEmpty() ? null : key;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the API key file " + keyFile, e);
        }
    }

    /** Written to a private temporary file first, so the key is never readable by others, even briefly. */
    private static void write(Path keyFile, String key) {
        try {
            Path directory = keyFile.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            Path temporary = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? Files.createTempFile(directory, ".api-key", ".tmp",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(directory, ".api-key", ".tmp");
            Files.writeString(temporary, key + System.lineSeparator(), StandardCharsets.UTF_8);
            Files.move(temporary, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the API key file " + keyFile, e);
        }
    }
}
