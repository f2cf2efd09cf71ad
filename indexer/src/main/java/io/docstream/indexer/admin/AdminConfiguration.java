package io.docstream.indexer.admin;

import io.docstream.platform.audit.AuditTrail;
import io.docstream.indexer.indexing.ReplayScope;
import io.docstream.indexer.operations.GroupOperations;
import io.docstream.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.core.KafkaAdmin;

/** The indexer's operator API: replays of the documents topic through this instance's Streams app. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReplayProperties.class)
class AdminConfiguration {

    @Bean(destroyMethod = "close")
    Admin indexerAdminClient(KafkaAdmin kafkaAdmin) {
        return Admin.create(kafkaAdmin.getConfigurationProperties());
    }

    @Bean
    Replays replays(StreamsBuilderFactoryBean streams, Admin indexerAdminClient, ReplayScope replayScope,
            ObjectProvider<AuditTrail> audit, MeterRegistry meters, ReplayProperties properties,
            GroupOperations groupOperations) {
        // A Streams app's consumer group is named after its application id.
        String groupId = streams.getStreamsConfiguration().getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        return new Replays(streams, new IndexerGroup(indexerAdminClient, groupId, Topics.DOCUMENTS.name()),
                replayScope, audit, meters, properties, Clock.systemUTC(), groupOperations);
    }
}
