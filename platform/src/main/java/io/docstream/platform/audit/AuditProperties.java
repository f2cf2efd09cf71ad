package io.docstream.platform.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code docstream.audit.*}.
 *
 * @param publishTimeout how long recording an audit event waits for the broker's acknowledgement before it
 *        is counted as a failure (the action it records has already happened and is not affected)
 */
@ConfigurationProperties("docstream.audit")
record AuditProperties(@DefaultValue("5s") Duration publishTimeout) {

    AuditProperties {
        if (publishTimeout == null || !publishTimeout.isPositive()) {
            throw new IllegalArgumentException("docstream.audit.publish-timeout must be positive");
        }
    }
}
