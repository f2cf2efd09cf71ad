package io.docstream.indexer;

import io.docstream.core.audit.AuditConfiguration;
import io.docstream.core.embedding.EmbeddingConfiguration;
import io.docstream.core.index.SearchIndexConfiguration;
import io.docstream.core.resilience.ResilienceConfiguration;
import io.docstream.core.web.WebSupportConfiguration;
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
@Import({ AuditConfiguration.class, EmbeddingConfiguration.class, SearchIndexConfiguration.class,
        WebSupportConfiguration.class, ResilienceConfiguration.class })
public class IndexerApplication {

    /** Reads {@code indexer.yml}, so the app can share a JVM with the other services. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(IndexerApplication.class).properties("spring.config.name=indexer");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
