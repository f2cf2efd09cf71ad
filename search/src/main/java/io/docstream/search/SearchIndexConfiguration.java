package io.docstream.search;

import io.docstream.embedding.Embedder;
import io.docstream.embedding.EmbeddingProperties;
import io.docstream.embedding.SwitchableEmbedder;
import io.docstream.search.lucene.LuceneIndexTargets;
import io.docstream.search.qdrant.QdrantIndexTargets;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The search index the services read and write, chosen by {@code docstream.index.type}: the on-disk
 * Lucene index (default) or Qdrant. Either way the services go through the alias to the current target
 * ({@link IndexTargets}), the embedder follows that target's model, and a watcher picks up an alias moved
 * by another process. With {@code docstream.index.lucene.read-only=true} the process follows a Lucene index
 * the indexer writes (a query API in its own process), checking for new commits every
 * {@code docstream.index.lucene.refresh-interval}. Steps aside when the context already holds the targets or
 * an index (the embedded runtime shares them across all services).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SearchIndexProperties.class)
public class SearchIndexConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    IndexTargets indexTargets(SearchIndexProperties properties, ObjectProvider<Embedder> embedders,
            ObjectProvider<EmbeddingProperties> embedding) {
        Embedder embedder = embedders.getIfAvailable();
        String configuredModel = embedding.getIfAvailable(() -> new EmbeddingProperties(EmbeddingProperties.DEFAULT_MODEL))
                .model();
        IndexTargets targets = switch (properties.type()) {
            case LUCENE -> properties.lucene().readOnly()
                    ? LuceneIndexTargets.openReadOnly(properties.lucene().path(), properties.lucene().alias())
                    : LuceneIndexTargets.open(properties.lucene().path(), properties.lucene().alias(),
                            embedder == null ? configuredModel : embedder.modelId(), properties.lucene().build());
            case QDRANT -> {
                Embedder model = embedders.getObject();
                yield new QdrantIndexTargets(properties.qdrant().settings(), model.modelId(), model.dimensions());
            }
        };
        if (embedder != null) {
            followModel(targets, embedder);
        }
        return targets;
    }

    @Bean
    @ConditionalOnMissingBean
    SearchIndex searchIndex(IndexTargets indexTargets) {
        return indexTargets.serving();
    }

    @Bean
    IndexTargetWatcher indexTargetWatcher(IndexTargets indexTargets, SearchIndexProperties properties) {
        return new IndexTargetWatcher(indexTargets, watchInterval(properties));
    }

    /** A read-only follower checks as often as it should see new commits; the alias is re-read then too. */
    static Duration watchInterval(SearchIndexProperties properties) {
        Duration interval = properties.aliasPollInterval();
        if (properties.type() == SearchIndexProperties.Type.LUCENE && properties.lucene().readOnly()) {
            Duration refresh = properties.lucene().refreshInterval();
            if (refresh == null || !refresh.isPositive()) {
                throw new IllegalArgumentException(
                        "docstream.index.lucene.refresh-interval must be positive, was " + refresh);
            }
            return refresh.compareTo(interval) < 0 ? refresh : interval;
        }
        return interval;
    }

    /**
     * Makes a switchable embedder embed with the model of the target served from, now and after every
     * switch, so queries and new chunks always match the vectors they meet.
     */
    public static void followModel(IndexTargets targets, Embedder embedder) {
        if (embedder instanceof SwitchableEmbedder switchable) {
            targets.onSwitch(target -> switchable.switchTo(target.model()));
            if (targets instanceof LuceneIndexTargets lucene && lucene.serves()) {
                switchable.switchTo(lucene.current().model());
            }
        }
    }
}
