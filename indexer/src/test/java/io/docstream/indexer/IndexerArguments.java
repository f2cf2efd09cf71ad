package io.docstream.indexer;

import io.docstream.platform.testing.ServiceArguments;
import io.docstream.platform.testing.TestDatabase;
import java.nio.file.Path;

/** How the indexer's integration tests boot it: the test database and broker, its state and index under one folder. */
public final class IndexerArguments {

    private IndexerArguments() {
    }

    /** Any free port, quick flushes, Streams state and the Lucene index under {@code directory}. */
    public static ServiceArguments under(Path directory, TestDatabase database, String bootstrapServers) {
        return ServiceArguments.create().anyPort().database(database)
                .kafka(bootstrapServers)
                .set("docstream.streams.state-dir", directory.resolve("streams"))
                .set("docstream.index.lucene.path", directory.resolve("index"))
                .set("docstream.indexer.flush-interval", "50ms");
    }
}
