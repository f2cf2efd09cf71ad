package io.docstream.schemas.db;

import static io.docstream.schemas.db.Tables.AUDIT_LOG;
import static io.docstream.schemas.db.Tables.DOCUMENTS;
import static io.docstream.schemas.db.Tables.INDEXING_STATUS;
import static io.docstream.schemas.db.Tables.TENANTS;
import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Flyway migrations against a real, fresh PostgreSQL: they apply, and the schema does what it promises. */
class MigrationsTests {

    private static final DateTimeFormatter PARTITION_SUFFIX = DateTimeFormatter.ofPattern("yyyy_MM");

    private static EmbeddedPostgres postgres;
    private static Flyway flyway;
    private static MigrateResult migration;
    private static DSLContext sql;

    @BeforeAll
    static void migrateAFreshDatabase() throws Exception {
        postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off").start();
        flyway = Flyway.configure()
                .dataSource(postgres.getPostgresDatabase())
                .locations("classpath:db/migration")
                .load();
        migration = flyway.migrate();
        sql = DSL.using(postgres.getPostgresDatabase(), SQLDialect.POSTGRES);
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void startEmpty() {
        sql.execute("truncate table tenants, documents, chunks, embedding_cache, indexing_status, api_keys, audit_log"
                + " cascade");
        sql.insertInto(TENANTS, TENANTS.TENANT_ID).values("acme").execute();
    }

    @Test
    void migrationsApplyCleanlyToAFreshDatabase() {
        assertThat(migration.success).isTrue();
        assertThat(migration.migrationsExecuted).isEqualTo(flyway.info().all().length).isGreaterThanOrEqualTo(4);
        assertThat(flyway.info().all()).extracting(MigrationInfo::getState).containsOnly(MigrationState.SUCCESS);
        assertThat(flyway.validateWithResult().validationSuccessful).isTrue();
        assertThat(flyway.migrate().migrationsExecuted).isZero();
    }

    @Test
    void createsEveryTableTheServicesUse() {
        List<String> tables = sql.fetchValues("""
                select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
                """).stream().map(String::valueOf).toList();

        assertThat(tables).contains("tenants", "api_keys", "documents", "chunks", "embedding_cache",
                "indexing_status", "audit_log");
    }

    @Test
    void aNewStatusRowIsNotSearchableUntilTheInvalidatorSaysSo() {
        sql.insertInto(INDEXING_STATUS)
                .set(INDEXING_STATUS.TENANT_ID, "acme")
                .set(INDEXING_STATUS.DOCUMENT_ID, "doc-1")
                .set(INDEXING_STATUS.ACCEPTED_VERSION, 3L)
                .set(INDEXING_STATUS.INDEXED_VERSION, 3L)
                .set(INDEXING_STATUS.STATE, "indexed")
                .execute();

        var row = sql.selectFrom(INDEXING_STATUS).fetchSingle();
        assertThat(row.getSearchableVersion()).isNull();
        assertThat(row.getSearchableAt()).isNull();
    }

    @Test
    void fillsTheSearchVectorSoFullTextQueriesFindTheDocument() {
        insertDocument("streams", "Kafka Streams", "Exactly-once processing of documents in partitions.");
        insertDocument("recipes", "Bread", "Flour, water and salt, baked slowly.");

        assertThat(matching("process & partition")).containsExactly("streams");
        assertThat(matching("bake")).containsExactly("recipes");
        assertThat(matching("kafka & bread")).isEmpty();
        assertThat(sql.fetchValue("select search_vector is not null from documents where document_id = 'streams'"))
                .isEqualTo(true);
    }

    @Test
    void weighsTitleTermsAboveBodyTerms() {
        insertDocument("streams", "Kafka Streams", "Exactly-once processing of documents.");

        assertThat(matching("kafka:A")).containsExactly("streams");
        assertThat(matching("process:A")).isEmpty();
        assertThat(matching("process:B")).containsExactly("streams");
    }

    @Test
    void indexesTheSearchVectorWithGin() {
        String definition = sql.fetchValue(
                "select indexdef from pg_indexes where tablename = 'documents' and indexname = ?",
                "documents_search_vector_idx").toString();

        assertThat(definition).containsIgnoringCase("using gin (search_vector)");
    }

    @Test
    void routesAnAuditRowForThisMonthIntoItsMonthlyPartition() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        UUID id = insertAudit(now);

        assertThat(partitionOf(id)).isEqualTo("audit_log_" + now.format(PARTITION_SUFFIX));
        assertThat(sql.fetchValue("""
                select parent.relname from pg_inherits
                join pg_class child on child.oid = pg_inherits.inhrelid
                join pg_class parent on parent.oid = pg_inherits.inhparent
                where child.relname = ?
                """, partitionOf(id)).toString()).isEqualTo("audit_log");
    }

    @Test
    void ensuringAPartitionMovesThatMonthsRowsOutOfTheDefaultPartition() {
        OffsetDateTime later = OffsetDateTime.now(ZoneOffset.UTC).plusMonths(7).withDayOfMonth(15);
        UUID id = insertAudit(later);
        assertThat(partitionOf(id)).isEqualTo("audit_log_default");

        sql.execute("select ensure_audit_partition({0})", DSL.val(later));
        sql.execute("select ensure_audit_partition({0})", DSL.val(later));

        assertThat(partitionOf(id)).isEqualTo("audit_log_" + later.format(PARTITION_SUFFIX));
        assertThat(sql.fetchCount(AUDIT_LOG, AUDIT_LOG.AUDIT_ID.eq(id))).isEqualTo(1);
    }

    private void insertDocument(String id, String title, String body) {
        sql.insertInto(DOCUMENTS)
                .set(DOCUMENTS.TENANT_ID, "acme")
                .set(DOCUMENTS.DOCUMENT_ID, id)
                .set(DOCUMENTS.VERSION, 1L)
                .set(DOCUMENTS.TITLE, title)
                .set(DOCUMENTS.BODY, body)
                .set(DOCUMENTS.METADATA, JSONB.valueOf("{}"))
                .execute();
    }

    private List<String> matching(String tsquery) {
        return sql.select(DOCUMENTS.DOCUMENT_ID)
                .from(DOCUMENTS)
                .where(DSL.condition("{0} @@ to_tsquery('english', {1})", DOCUMENTS.SEARCH_VECTOR, DSL.val(tsquery)))
                .orderBy(DOCUMENTS.DOCUMENT_ID)
                .fetch(DOCUMENTS.DOCUMENT_ID);
    }

    private UUID insertAudit(OffsetDateTime at) {
        UUID id = UUID.randomUUID();
        sql.insertInto(AUDIT_LOG)
                .set(AUDIT_LOG.AUDIT_ID, id)
                .set(AUDIT_LOG.TENANT_ID, "acme")
                .set(AUDIT_LOG.ACTOR, "key:ops")
                .set(AUDIT_LOG.ACTION, "document.delete")
                .set(AUDIT_LOG.RESOURCE, "documents/doc-1")
                .set(AUDIT_LOG.OUTCOME, "success")
                .set(AUDIT_LOG.OCCURRED_AT, at)
                .execute();
        return id;
    }

    private String partitionOf(UUID id) {
        return sql.fetchValue("select tableoid::regclass::text from audit_log where audit_id = ?", id).toString();
    }
}
