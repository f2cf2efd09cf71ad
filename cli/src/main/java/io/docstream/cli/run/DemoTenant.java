package io.docstream.cli.run;

import io.docstream.platform.audit.AuditActions;
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
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import io.docstream.schemas.events.AuditEvent;
import io.docstream.schemas.topics.Topics;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Tenant {@code demo} and its all-scopes API key, created on the first start and kept in a file readable only
 * by its owner. Later starts reuse the file; a key the database no longer knows (a wiped database) is replaced.
 * A created key is audited ({@code key.create}, actor {@code system:run}) on the audit topic, as every other key.
 */
final class DemoTenant {

    static final String TENANT = "demo";
    private static final String KEY_NAME = "embedded runtime";
    static final String ACTOR = AuditActions.systemActor("run");

    private DemoTenant() {
    }

    /** Returns the key and whether it was just created; a created key is handed to {@code created} (to audit it). */
    static Key ensure(DataSource dataSource, Path keyFile, Consumer<CreatedApiKey> onCreated) {
        ApiKeys apiKeys = new ApiKeys(DSL.using(dataSource, SQLDialect.POSTGRES));
        String existing = read(keyFile);
        if (existing != null && apiKeys.authenticate(existing).isPresent()) {
            return new Key(existing, false);
        }
        apiKeys.ensureTenant(TENANT);
        CreatedApiKey created = apiKeys.create(TENANT, KEY_NAME, EnumSet.allOf(Scope.class));
        write(keyFile, created.plainKey());
        onCreated.accept(created);
        return new Key(created.plainKey(), true);
    }

    /** The key's creation on the audit topic, naming the key id, never the key; its id is the key's own. */
    static void audit(String bootstrapServers, CreatedApiKey created) {
        AuditEvent event = new AuditEvent(
                UUID.nameUUIDFromBytes(("key.create/" + created.keyId()).getBytes(StandardCharsets.UTF_8)), TENANT,
                ACTOR, AuditActions.KEY_CREATE, "key:" + TENANT + "/" + created.keyId(), AuditActions.SUCCEEDED, null,
                null, Instant.now());
        try (KafkaProducer<String, AuditEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000),
                Topics.AUDIT.keySerde().serializer(), Topics.AUDIT.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.AUDIT.name(), TENANT, event)).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not audit the creation of the embedded API key", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while auditing the creation of the embedded API key", e);
        }
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
