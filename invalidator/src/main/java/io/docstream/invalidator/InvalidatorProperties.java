package io.docstream.invalidator;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The invalidator's settings under {@code docstream.*}.
 *
 * @param streams {@code docstream.streams.state-dir}, where Kafka Streams keeps its local state
 */
@ConfigurationProperties("docstream")
public record InvalidatorProperties(@DefaultValue Streams streams) {

    public record Streams(@DefaultValue(".docstream/streams/invalidator") Path stateDir) {
    }
}
