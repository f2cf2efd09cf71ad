package io.docstream.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.testing.TestDatabase;
import io.docstream.platform.tenancy.ApiKeys;
import io.docstream.platform.tenancy.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTenantIntegrationTests {

    private final TestDatabase database = TestDatabase.shared();

    @TempDir
    Path dataDir;

    @Test
    void createsAnAllScopesKeyOnceReadableOnlyByItsOwnerAndReusesIt() throws Exception {
        database.truncateAll();
        Path keyFile = dataDir.resolve("api-key");

        DemoTenant.Key first = DemoTenant.ensure(database.dataSource(), keyFile);
        DemoTenant.Key second = DemoTenant.ensure(database.dataSource(), keyFile);

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.plainKey()).isEqualTo(first.plainKey());
        assertThat(Files.readString(keyFile).strip()).isEqualTo(first.plainKey());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(new ApiKeys(database.dsl()).authenticate(first.plainKey())).hasValueSatisfying(principal -> {
            assertThat(principal.tenant()).isEqualTo("demo");
            assertThat(principal.scopes()).containsExactlyInAnyOrder(Scope.values());
        });
    }

    @Test
    void replacesAKeyTheDatabaseNoLongerKnows() throws Exception {
        database.truncateAll();
        Path keyFile = dataDir.resolve("api-key");
        Files.writeString(keyFile, "ds_from-a-wiped-database\n");

        DemoTenant.Key key = DemoTenant.ensure(database.dataSource(), keyFile);

        assertThat(key.created()).isTrue();
        assertThat(Files.readString(keyFile).strip()).isEqualTo(key.plainKey());
    }
}
