package io.docstream.query;

import io.docstream.core.embedding.EmbeddingConfiguration;
import io.docstream.core.index.SearchIndexConfiguration;
import io.docstream.core.resilience.ResilienceConfiguration;
import io.docstream.core.tenancy.TenantBootstrap;
import io.docstream.core.web.WebSupportConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/** Hybrid search and document reads over the search index and PostgreSQL. */
@SpringBootApplication
@Import({ EmbeddingConfiguration.class, SearchIndexConfiguration.class, TenantBootstrap.class,
        WebSupportConfiguration.class, ResilienceConfiguration.class })
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
