package io.docstream.indexer;

import io.docstream.embedding.EmbeddingConfiguration;
import io.docstream.search.SearchIndexConfiguration;
import io.docstream.search.chunking.ChunkingConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * The indexer: a Kafka Streams app that turns document commands into chunks, vectors, search-index
 * entries and PostgreSQL rows, and announces each applied version on the indexed topic. Its web
 * server serves the actuator and the operator's replay API ({@code /api/v1/admin/replay}, admin keys).
 */
@SpringBootApplication
@EnableConfigurationProperties(IndexerProperties.class)
@Import({ EmbeddingConfiguration.class, ChunkingConfiguration.class, SearchIndexConfiguration.class })
public class IndexerApplication {

    /** Reads {@code indexer.yml}, so the app can share a JVM with the other services. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(IndexerApplication.class).properties("spring.config.name=indexer");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
