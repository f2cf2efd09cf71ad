package io.docstream.search;

import io.docstream.search.qdrant.QdrantSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code docstream.index.*}: which search index the services use ({@code lucene}, embedded on local disk,
 * or {@code qdrant}), how to reach it, and how often a service checks whether another process moved the
 * alias ({@code alias-poll-interval}).
 */
@ConfigurationProperties("docstream.index")
record SearchIndexProperties(@DefaultValue("lucene") Type type, @DefaultValue Lucene lucene,
        @DefaultValue Qdrant qdrant, @DefaultValue("2s") Duration aliasPollInterval) {

    enum Type { LUCENE, QDRANT }

    /**
     * {@code docstream.index.lucene.*}: the directory holding the targets and the alias file, kept across
     * restarts; the alias; and the build of the target created when there is none.
     *
     * @param readOnly whether this process only follows an index another process (the indexer) writes in
     *        {@code path}: it takes no write lock, refuses writes and creates nothing
     * @param refreshInterval how often a read-only follower looks for new commits and a moved alias
     */
    record Lucene(@DefaultValue("./.docstream/index") Path path, @DefaultValue("docstream-chunks") String alias,
            @DefaultValue("1") String build, @DefaultValue("false") boolean readOnly,
            @DefaultValue("1s") Duration refreshInterval) {
    }

    /**
     * {@code docstream.index.qdrant.*}: the gRPC endpoint and the alias the index lives behind.
     *
     * @param host the Qdrant host
     * @param port its gRPC port
     * @param useTls whether to speak TLS to it
     * @param apiKey the API key sent with every call; empty for none
     * @param timeout the longest one call may take
     * @param alias the alias every read and write goes through; collections are named {@code <alias>__<model>__<build>}
     * @param build the build part of the name of the collection created when the alias is missing
     * @param indexedMetadataKeys metadata keys that get a keyword payload index because filters use them
     * @param shardNumber shards of a collection docstream creates (at start or for a reindex), spread over the
     *        Qdrant cluster's nodes; 0 for Qdrant's default (one per node at creation)
     * @param replicationFactor copies of each shard in a collection docstream creates, so a node can fail; 0 for
     *        Qdrant's default (1)
     */
    record Qdrant(@DefaultValue("localhost") String host, @DefaultValue("6334") int port,
            @DefaultValue("false") boolean useTls, @DefaultValue("") String apiKey, @DefaultValue("5s") Duration timeout,
            @DefaultValue("docstream-chunks") String alias, @DefaultValue("1") String build,
            @DefaultValue List<String> indexedMetadataKeys, @DefaultValue("0") int shardNumber,
            @DefaultValue("0") int replicationFactor) {

        QdrantSettings settings() {
            return new QdrantSettings(host, port, useTls, apiKey, timeout, alias, build, indexedMetadataKeys,
                    shardNumber, replicationFactor);
        }
    }
}
