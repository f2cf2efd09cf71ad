package io.docstream.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The all-in-one JVM's logback.xml keeps the console human-readable and also writes every event as an ECS JSON
 * line to {@code <data-dir>/logs/docstream.json}, logging context included.
 */
class JsonLogFileTests {

    @TempDir
    Path dataDir;

    @Test
    void eventsAreWrittenAsJsonLinesWithTheLoggingContext() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        context.putProperty("DOCSTREAM_DATA_DIR", dataDir.toString());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(JsonLogFileTests.class.getResource("/logback.xml"));
        try {
            Logger log = context.getLogger("io.docstream.indexer.indexing.IndexBatchProcessor");
            MDC.put("tenant", "acme");
            MDC.put("documentId", "espresso");
            MDC.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
            MDC.put("span_id", "00f067aa0ba902b7");
            try {
                log.info("indexed {} chunk(s)", 3);
            } finally {
                MDC.clear();
            }
            context.getLogger("io.docstream.query").debug("below the configured level");
        } finally {
            context.stop();
        }

        List<String> lines = Files.readAllLines(dataDir.resolve("logs").resolve("docstream.json"));
        assertThat(lines).hasSize(1);
        JsonNode line = JsonMapper.builder().build().readTree(lines.getFirst());
        assertThat(line.path("message").asString()).isEqualTo("indexed 3 chunk(s)");
        assertThat(line.path("log").path("level").asString()).isEqualTo("INFO");
        assertThat(line.path("log").path("logger").asString())
                .isEqualTo("io.docstream.indexer.indexing.IndexBatchProcessor");
        assertThat(line.path("tenant").asString()).isEqualTo("acme");
        assertThat(line.path("documentId").asString()).isEqualTo("espresso");
        assertThat(line.path("trace.id").asString()).as("ECS's name").isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(line.path("span.id").asString()).isEqualTo("00f067aa0ba902b7");
        assertThat(line.path("service").path("name").asString()).isEqualTo("docstream");
    }
}
