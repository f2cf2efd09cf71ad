package io.docstream.query.console;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The web console at {@code /console}.
 *
 * @param ingestUrl where the console's browser reaches ingest (document writes, their status, the DLQ): its origin is
 *        the only one besides query-api's own that the console's Content-Security-Policy lets it connect to, and
 *        ingest must list the console's origin in {@code docstream.web.cors-allowed-origins}
 */
@ConfigurationProperties("docstream.console")
record ConsoleProperties(@DefaultValue("http://localhost:8081") URI ingestUrl) {

    ConsoleProperties {
        if (ingestUrl == null || ingestUrl.getHost() == null
                || !("http".equals(ingestUrl.getScheme()) || "https".equals(ingestUrl.getScheme()))) {
            throw new IllegalArgumentException("docstream.console.ingest-url must be an http(s) URL, was " + ingestUrl);
        }
    }

    /** {@code scheme://host[:port]} of {@link #ingestUrl}, as CSP and CORS name origins. */
    String ingestOrigin() {
        return ingestUrl.getScheme() + "://" + ingestUrl.getHost()
                + (ingestUrl.getPort() < 0 ? "" : ":" + ingestUrl.getPort());
    }
}
