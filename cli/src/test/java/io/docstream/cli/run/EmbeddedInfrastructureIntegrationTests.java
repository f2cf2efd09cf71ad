package io.docstream.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedInfrastructureIntegrationTests {

    private static final String TOPIC = "docstream.documents.v1";
    private static final String GROUP = "restart-check";

    @TempDir
    Path dataDir;

    @Test
    void keepsKafkaRecordsOffsetsAndPostgresRowsAcrossRestartAndServesRedis() throws Exception {
        RuntimeOptions options = RuntimeOptions.defaults().withDataDir(dataDir).withFreePorts();

        try (EmbeddedInfrastructure infrastructure = start(options)) {
            produce(infrastructure.bootstrapServers(), "doc-1", "first");
            assertThat(consumeAndCommit(infrastructure.bootstrapServers())).containsExactly("first");
            execute(infrastructure, "create table restart_check (value text)",
                    "insert into restart_check values ('kept')");
            assertThat(redis(options.redisPort(), "PING")).isEqualTo("+PONG");
            assertThat(redis(options.redisPort(), "SET restart-check kept")).isEqualTo("+OK");
        }

        RuntimeOptions restarted = options.withFreePorts();
        try (EmbeddedInfrastructure infrastructure = start(restarted)) {
            assertThat(committedOffset(infrastructure.bootstrapServers())).isEqualTo(1L);
            produce(infrastructure.bootstrapServers(), "doc-2", "second");
            assertThat(consumeAndCommit(infrastructure.bootstrapServers()))
                    .as("the committed offset survived, so only the new record is read")
                    .containsExactly("second");
            assertThat(query(infrastructure, "select value from restart_check")).isEqualTo("kept");
            assertThat(query(infrastructure, "select count(*) from tenants")).isEqualTo("0");
            assertThat(redis(restarted.redisPort(), "GET restart-check")).isEqualTo("$4");
        }
    }

    @Test
    void closeIsIdempotent() {
        EmbeddedInfrastructure infrastructure = start(RuntimeOptions.defaults().withDataDir(dataDir).withFreePorts());
        infrastructure.close();
        infrastructure.close();
    }

    private static EmbeddedInfrastructure start(RuntimeOptions options) {
        return EmbeddedInfrastructure.start(options, new StartupProgress(new PrintStream(OutputStream.nullOutputStream())));
    }

    private static void produce(String bootstrapServers, String key, String value) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, key, value)).get();
        }
    }

    private static List<String> consumeAndCommit(String bootstrapServers) {
        try (KafkaConsumer<String, String> consumer = consumer(bootstrapServers)) {
            consumer.subscribe(List.of(TOPIC));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
            consumer.commitSync();
            return values;
        }
    }

    private static long committedOffset(String bootstrapServers) {
        try (KafkaConsumer<String, String> consumer = consumer(bootstrapServers)) {
            long total = 0;
            for (var partition : consumer.partitionsFor(TOPIC)) {
                OffsetAndMetadata committed = consumer.committed(
                        java.util.Set.of(new TopicPartition(TOPIC, partition.partition()))).values().stream()
                        .findFirst().orElse(null);
                total += committed == null ? 0 : committed.offset();
            }
            return total;
        }
    }

    private static KafkaConsumer<String, String> consumer(String bootstrapServers) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private static void execute(EmbeddedInfrastructure infrastructure, String... statements) throws SQLException {
        try (Connection connection = infrastructure.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static String query(EmbeddedInfrastructure infrastructure, String sql) throws SQLException {
        try (Connection connection = infrastructure.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    /** One inline RESP command; returns the first reply line. */
    private static String redis(int port, String command) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\r') {
                line.append((char) c);
            }
            return line.toString();
        }
    }
}
