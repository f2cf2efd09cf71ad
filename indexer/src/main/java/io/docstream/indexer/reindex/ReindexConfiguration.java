package io.docstream.indexer.reindex;

import io.docstream.embedding.EmbedderRegistry;
import io.docstream.indexer.IndexerProperties;
import io.docstream.indexer.operations.GroupOperations;
import io.docstream.platform.audit.AuditTrail;
import io.docstream.platform.kafka.KafkaClients;
import io.docstream.schemas.topics.Topics;
import io.docstream.search.IndexTargets;
import io.docstream.search.chunking.Chunker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;
import org.apache.kafka.streams.StreamsConfig;
import org.jooq.DSLContext;
import org.springframework.beans.factory.ObjectProvider;
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
            ObjectProvider<AuditTrail> audit, ObjectProvider<StreamsBuilderFactoryBean> streams, KafkaClients kafka,
            GroupOperations groupOperations) {
        // A Streams app's consumer group is named after its application id.
        StreamsBuilderFactoryBean indexerStreams = streams.getIfAvailable();
        String indexerGroup = indexerStreams == null || indexerStreams.getStreamsConfiguration() == null
                ? "docstream-indexer"
                : indexerStreams.getStreamsConfiguration().getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        return new Reindexer(indexTargets, embedderRegistry, chunker, dsl, indexer.indexer().embedBatchSize(), meters,
                kafka, properties, () -> Optional.ofNullable(audit.getIfAvailable()),
                new IndexerProgress(kafka, indexerGroup, Topics.DOCUMENTS.name()), Clock.systemUTC(),
                groupOperations);
    }
}
