package io.docstream.query.admin;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code docstream.metrics.consumer-lag.*}.
 *
 * @param refreshInterval how often the consumer groups' lag is read from Kafka for {@code docstream_consumer_lag_records}
 */
@ConfigurationProperties("docstream.metrics.consumer-lag")
record ConsumerLagProperties(@DefaultValue("15s") Duration refreshInterval) {
}
