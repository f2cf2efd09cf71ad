package io.docstream.ingest;

import io.docstream.core.audit.AuditConfiguration;
import io.docstream.core.resilience.ResilienceConfiguration;
import io.docstream.core.tenancy.TenantBootstrap;
import io.docstream.core.web.WebSupportConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/** The document command API: validates producer requests and turns them into Kafka commands. */
@SpringBootApplication
@Import({ WebSupportConfiguration.class, TenantBootstrap.class, AuditConfiguration.class,
        ResilienceConfiguration.class })
public class IngestApplication {

    public static final String CONFIG_NAME = "ingest";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(IngestApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
