package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.cli.ApiClient.Answer;
import io.docstream.schemas.events.CacheInvalidated;
import io.docstream.schemas.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two instances of each service that scales by instances, against one system (the shared runtime: two ingests, two
 * invalidators, two query APIs, the one indexer the embedded Lucene index takes): the invalidators' consumer groups
 * split the partitions between them, writes through either ingest are indexed, every indexed version is
 * invalidated exactly once, and a write read with its consistency token is current on both query APIs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedCacheRuntime.Resolver.class)
class ScaleOutIntegrationTests {

    private static final Duration INDEXED_WITHIN = Duration.ofSeconds(60);
    private static final List<String> INVALIDATOR_GROUPS = List.of("docstream-invalidator", "docstream-analytics",
            "docstream-audit-log");

    private SharedCacheRuntime shared;
    private ApiClient client;

    @BeforeAll
    void useSharedRuntime(SharedCacheRuntime runtime) {
        shared = runtime;
        client = new ApiClient(runtime.apiKey());
    }

    @Test
    void twoInvalidatorsSplitThePartitionsAndEveryIndexedVersionIsInvalidatedOnceAndReadCurrentEverywhere()
            throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                shared.runtime().bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                Map<String, ConsumerGroupDescription> groups = admin.describeConsumerGroups(INVALIDATOR_GROUPS).all()
                        .get();
                for (String group : INVALIDATOR_GROUPS) {
                    assertThat(groups.get(group).members()).as("members of %s", group).hasSize(2);
                }
                List<Set<TopicPartition>> indexed = new ArrayList<>();
                for (MemberDescription member : groups.get("docstream-invalidator").members()) {
                    Set<TopicPartition> partitions = new HashSet<>(member.assignment().topicPartitions());
                    partitions.removeIf(partition -> !partition.topic().equals(Topics.INDEXED.name()));
                    assertThat(partitions).as("each invalidator reads a share of %s", Topics.INDEXED.name())
                            .isNotEmpty();
                    indexed.add(partitions);
                }
                assertThat(indexed.get(0)).as("no partition read twice").doesNotContainAnyElementsOf(indexed.get(1));
                assertThat(indexed.get(0).size() + indexed.get(1).size()).isEqualTo(Topics.PARTITIONS);
            });
        }

        try (KafkaConsumer<String, CacheInvalidated> invalidations = invalidationsFromNow()) {
            String prefix = "scale-out-" + UUID.randomUUID().toString().substring(0, 8) + "-";
            List<String> tokens = new ArrayList<>();
            Map<String, Long> expected = new LinkedHashMap<>();
            for (int i = 0; i < 12; i++) {
                String id = prefix + i;
                for (long version = 1; version <= 2; version++) {
                    // The two versions of a document go through different ingests, one after the other.
                    String ingest = shared.ingestUrls().get((int) ((i + version) % 2));
                    Answer put = client.put(ingest + "/api/v1/documents/" + id, Map.<String, Object>of("title", "Scale-out " + i,
                            "body", "A wombat census, revision " + version + " of report " + i + ".", "version",
                            version));
                    assertThat(put.status()).as(put.body()).isEqualTo(202);
                    tokens.add(put.json().path("consistencyToken").asString());
                    awaitIndexed(shared.ingestUrls().get((int) ((i + version + 1) % 2)), id, version);
                    expected.merge(id, 1L, Long::sum);
                }
            }

            // The latest version of the last documents written, read with its token on each query API.
            for (String token : tokens.stream().filter(token -> token.endsWith("@2")).toList().subList(10, 12)) {
                String id = token.substring(0, token.indexOf('@'));
                long version = Long.parseLong(token.substring(token.indexOf('@') + 1));
                for (String queryApi : shared.queryUrls()) {
                    Answer read = client.get(queryApi + "/api/v1/documents/" + id, token);
                    assertThat(read.status()).as(read.body()).isEqualTo(200);
                    assertThat(read.json().path("version").asLong()).as("%s on %s", token, queryApi)
                            .isEqualTo(version);
                }
            }

            Map<String, Long> invalidated = new HashMap<>();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                invalidations.poll(Duration.ofMillis(200)).forEach(record -> {
                    CacheInvalidated event = record.value();
                    if (event != null && event.documentId() != null && event.documentId().startsWith(prefix)) {
                        invalidated.merge(event.documentId() + "@" + event.documentVersion(), 1L, Long::sum);
                    }
                });
                assertThat(invalidated).as("one invalidation per indexed version").hasSize(expected.size() * 2);
            });
            // Anything applied twice would have arrived by now.
            invalidations.poll(Duration.ofSeconds(2)).forEach(record -> {
                CacheInvalidated event = record.value();
                if (event != null && event.documentId() != null && event.documentId().startsWith(prefix)) {
                    invalidated.merge(event.documentId() + "@" + event.documentVersion(), 1L, Long::sum);
                }
            });
            assertThat(invalidated.values()).as("each invalidation published once").containsOnly(1L);
        }
    }

    private void awaitIndexed(String ingest, String id, long version) {
        await().atMost(INDEXED_WITHIN).pollInterval(Duration.ofMillis(50)).until(() -> {
            Answer status = client.get(ingest + "/api/v1/documents/" + id + "/status");
            return status.status() == 200 && "indexed".equals(status.json().path("state").asString())
                    && status.json().path("indexedVersion").asLong(-1) >= version;
        });
    }

    /** A reader of the invalidations topic positioned at its end now (committed records only). */
    private KafkaConsumer<String, CacheInvalidated> invalidationsFromNow() {
        KafkaConsumer<String, CacheInvalidated> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, shared.runtime().bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                Topics.INVALIDATIONS.keySerde().deserializer(), Topics.INVALIDATIONS.valueSerde().deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.INVALIDATIONS.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }
}
