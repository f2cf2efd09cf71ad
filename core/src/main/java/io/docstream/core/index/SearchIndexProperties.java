package io.docstream.core.index;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code docstream.index.*}: where the embedded Lucene index lives. */
@ConfigurationProperties("docstream.index")
record SearchIndexProperties(@DefaultValue Lucene lucene) {

    /** {@code docstream.index.lucene.path}: the index directory, kept across restarts. */
    record Lucene(@DefaultValue("./.docstream/index") Path path) {
    }
}
