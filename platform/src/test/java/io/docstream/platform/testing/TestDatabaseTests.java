package io.docstream.platform.testing;

import static io.docstream.schemas.db.Tables.DOCUMENTS;
import static io.docstream.schemas.db.Tables.TENANTS;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.Test;

class TestDatabaseTests {

    private final TestDatabase database = TestDatabase.shared();

    @Test
    void isOneMigratedDatabasePerJvm() {
        assertThat(TestDatabase.shared()).isSameAs(database);
        assertThat(database.dsl().dialect()).isEqualTo(SQLDialect.POSTGRES);
        assertThat(database.dsl().fetchCount(DOCUMENTS)).isGreaterThanOrEqualTo(0);
        assertThat(database.dsl().fetchValue("select count(*) from flyway_schema_history where success"))
                .isNotEqualTo(0L);
    }

    @Test
    void acceptsConnectionsThroughItsJdbcUrl() throws Exception {
        try (Connection connection = java.sql.DriverManager.getConnection(database.jdbcUrl(), database.username(),
                database.password())) {
            assertThat(connection.isValid(5)).isTrue();
        }
        try (Connection connection = database.dataSource().getConnection()) {
            assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
        }
    }

    @Test
    void ensuringATenantTwiceKeepsOneRow() {
        database.ensureTenant("acme");
        database.ensureTenant("acme");

        assertThat(database.dsl().fetchCount(TENANTS, TENANTS.TENANT_ID.eq("acme"))).isEqualTo(1);
    }

    @Test
    void truncateAllEmptiesDataButKeepsTheMigrationHistory() {
        database.ensureTenant("acme");
        database.dsl().insertInto(DOCUMENTS, DOCUMENTS.TENANT_ID, DOCUMENTS.DOCUMENT_ID, DOCUMENTS.VERSION)
                .values("acme", "doc-1", 1L)
                .onConflictDoNothing()
                .execute();

        database.truncateAll();

        assertThat(database.dsl().fetchCount(TENANTS)).isZero();
        assertThat(database.dsl().fetchCount(DOCUMENTS)).isZero();
        assertThat(database.dsl().fetchCount(database.dsl().selectFrom("flyway_schema_history"))).isPositive();
    }
}
