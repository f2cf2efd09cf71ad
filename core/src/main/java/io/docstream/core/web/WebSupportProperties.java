package io.docstream.core.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * HTTP limits shared by the services.
 *
 * @param maxRequestSize largest request body accepted; larger ones are answered 413
 */
@ConfigurationProperties("docstream.web")
public record WebSupportProperties(@DefaultValue("10MB") DataSize maxRequestSize) {

    public WebSupportProperties {
        if (maxRequestSize == null || maxRequestSize.toBytes() < 1) {
            throw new IllegalArgumentException("docstream.web.max-request-size must be positive");
        }
    }
}
