package io.docstream.query;

import io.docstream.embedding.EmbeddingConfiguration;
import io.docstream.search.SearchIndexConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/** Hybrid search and document reads over the search index and PostgreSQL. */
@SpringBootApplication
@Import({ EmbeddingConfiguration.class, SearchIndexConfiguration.class })
public class QueryApiApplication {

    public static final String CONFIG_NAME = "query-api";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(QueryApiApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
