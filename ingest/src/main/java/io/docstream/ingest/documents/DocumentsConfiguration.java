package io.docstream.ingest.documents;

import io.docstream.ingest.status.IndexingStatuses;
import io.docstream.platform.audit.AuditTrail;
import io.docstream.platform.resilience.RemoteCalls;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentKey;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IngestProperties.class)
class DocumentsConfiguration {

    @Bean
    DocumentRequestParser documentRequestParser(IngestProperties properties) {
        return new DocumentRequestParser(properties);
    }

    @Bean
    VersionClock versionClock() {
        return new VersionClock(Clock.systemUTC());
    }

    @Bean
    AcceptedStatusWrites acceptedStatusWrites(IndexingStatuses statuses, IngestProperties properties) {
        return new AcceptedStatusWrites(statuses, properties.statusWriteWait());
    }

    @Bean
    DocumentAudit documentAudit(AuditTrail audit) {
        return new DocumentAudit(audit);
    }

    @Bean
    CommandPublisher commandPublisher(KafkaTemplate<DocumentKey, DocumentCommand> template,
            IngestProperties properties, RemoteCalls remoteCalls) {
        return new CommandPublisher(template, properties,
                remoteCalls.call(RemoteCalls.KAFKA_PRODUCER, CommandPublisher::kafkaUnavailable));
    }
}
