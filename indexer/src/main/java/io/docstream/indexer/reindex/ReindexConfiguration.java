package io.docstream.indexer.reindex;

import io.docstream.core.audit.AuditTrail;
import io.docstream.core.chunking.Chunker;
import io.docstream.core.embedding.EmbedderRegistry;
import io.docstream.core.index.IndexTargets;
import io.docstream.indexer.IndexerProperties;
import io.docstream.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;
import org.apache.kafka.streams.StreamsConfig;
import org.jooq.DSLContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/** The reindex operator workflow on the indexer: a {@link Reindexer} over the search index's targets. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReindexProperties.class)
class ReindexConfiguration {

    @Bean(destroyMethod = "close")
    Reindexer reindexer(IndexTargets indexTargets, EmbedderRegistry embedderRegistry, Chunker chunker, DSLContext dsl,
            IndexerProperties indexer, MeterRegistry meters, ReindexProperties properties,
            ObjectProvider<AuditTrail> audit, ObjectProvider<StreamsBuilderFactoryBean> streams,
            @Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers) {
        // A Streams app's consumer group is named after its application id.
        StreamsBuilderFactoryBean indexerStreams = streams.getIfAvailable();
        String indexerGroup = indexerStreams == null || indexerStreams.getStreamsConfiguration() == null
                ? "docstream-indexer"
                : indexerStreams.getStreamsConfiguration().getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        return new Reindexer(indexTargets, embedderRegistry, chunker, dsl, indexer.indexer().embedBatchSize(), meters,
                bootstrapServers, properties, () -> Optional.ofNullable(audit.getIfAvailable()),
                new IndexerProgress(bootstrapServers, indexerGroup, Topics.DOCUMENTS.name()), Clock.systemUTC());
    }
}
