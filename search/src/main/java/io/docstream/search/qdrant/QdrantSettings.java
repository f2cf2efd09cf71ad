package io.docstream.search.qdrant;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the Qdrant server is and how the index lives in it: the gRPC endpoint with its TLS, API key and
 * per-call timeout, the alias every read and write goes through, the build that names a new collection,
 * the metadata keys that get a payload index because filters use them, and how a collection docstream creates is
 * spread over a Qdrant cluster: its shard count and replication factor (0: Qdrant's defaults, one shard per node
 * at creation and one copy).
 */
public record QdrantSettings(String host, int port, boolean useTls, String apiKey, Duration timeout, String alias,
        String build, List<String> indexedMetadataKeys, int shardNumber, int replicationFactor) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    public QdrantSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(build, "build");
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("Qdrant needs a host and a port between 1 and 65535, got " + host + ":"
                    + port);
        }
        if (!timeout.isPositive()) {
            throw new IllegalArgumentException("The Qdrant call timeout must be positive, was " + timeout);
        }
        if (!NAME.matcher(alias).matches() || alias.contains("__") || !NAME.matcher(build).matches()) {
            throw new IllegalArgumentException("The Qdrant alias and build must be 1 to 100 characters from "
                    + "[A-Za-z0-9._-] (the alias without '__', which separates the parts of collection names); got "
                    + "alias '" + alias + "' and build '" + build + "'");
        }
        if (shardNumber < 0 || replicationFactor < 0) {
            throw new IllegalArgumentException("The Qdrant shard number and replication factor must be 0 (Qdrant's"
                    + " default) or more, got " + shardNumber + " and " + replicationFactor);
        }
        apiKey = apiKey == null ? "" : apiKey;
        indexedMetadataKeys = indexedMetadataKeys == null ? List.of() : List.copyOf(indexedMetadataKeys);
    }

    /** Settings whose collections take Qdrant's default shard count and replication factor. */
    public QdrantSettings(String host, int port, boolean useTls, String apiKey, Duration timeout, String alias,
            String build, List<String> indexedMetadataKeys) {
        this(host, port, useTls, apiKey, timeout, alias, build, indexedMetadataKeys, 0, 0);
    }

    @Override
    public String toString() {
        return "QdrantSettings[" + (useTls ? "https://" : "http://") + host + ":" + port + ", alias=" + alias
                + ", build=" + build + ", apiKey=" + (apiKey.isEmpty() ? "none" : "***") + ", timeout=" + timeout
                + ", indexedMetadataKeys=" + indexedMetadataKeys + ", shardNumber=" + shardNumber
                + ", replicationFactor=" + replicationFactor + "]";
    }
}
