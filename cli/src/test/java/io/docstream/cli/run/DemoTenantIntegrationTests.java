package io.docstream.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.testing.TestDatabase;
import io.docstream.platform.tenancy.ApiKeys;
import io.docstream.platform.tenancy.CreatedApiKey;
import io.docstream.platform.tenancy.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
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

        List<CreatedApiKey> audited = new ArrayList<>();
        DemoTenant.Key first = DemoTenant.ensure(database.dataSource(), keyFile, audited::add);
        DemoTenant.Key second = DemoTenant.ensure(database.dataSource(), keyFile, audited::add);

        assertThat(audited).as("the creation is handed on to be audited, once").singleElement()
                .satisfies(created -> assertThat(created.plainKey()).isEqualTo(first.plainKey()));
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

        List<CreatedApiKey> audited = new ArrayList<>();
        DemoTenant.Key key = DemoTenant.ensure(database.dataSource(), keyFile, audited::add);

        assertThat(audited).hasSize(1);

        assertThat(key.created()).isTrue();
        assertThat(Files.readString(keyFile).strip()).isEqualTo(key.plainKey());
    }
}
