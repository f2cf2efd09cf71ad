package io.docstream.platform.resilience;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The service's {@link RemoteCalls}, with each call's policy bound from {@code docstream.resilience.<call>.*} over
 * its defaults, and its PostgreSQL data source wrapped in a {@link GuardedDataSource} whose Hikari connection
 * timeout is the {@code postgres} call's {@code timeout} and whose connections carry the statement and socket
 * timeouts of {@link PostgresTimeouts}.
 */
@AutoConfiguration
@EnableConfigurationProperties(PostgresTimeouts.class)
public class ResilienceConfiguration {

    @Bean
    RemoteCalls remoteCalls(Environment environment, ObjectProvider<MeterRegistry> meters) {
        Binder binder = Binder.get(environment);
        return new RemoteCalls(name -> {
            CallPolicy defaults = RemoteCalls.defaults(name);
            return binder.bind("docstream.resilience." + name, Bindable.ofInstance(defaults)).orElse(defaults);
        }, meters.getIfAvailable());
    }

    @Bean
    static BeanPostProcessor guardedDataSources(ObjectProvider<RemoteCalls> remoteCalls,
            ObjectProvider<PostgresTimeouts> timeouts) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (!(bean instanceof DataSource dataSource) || bean instanceof GuardedDataSource) {
                    return bean;
                }
                RemoteCall guard = remoteCalls.getObject()
                        .call(RemoteCalls.POSTGRES, GuardedDataSource::transientFailure);
                if (dataSource instanceof HikariDataSource hikari) {
                    hikari.setConnectionTimeout(guard.policy().getTimeout().toMillis());
                    applyTimeouts(hikari, timeouts.getObject());
                }
                return new GuardedDataSource(dataSource, guard);
            }
        };
    }

    /**
     * Every connection of the pool starts with {@code statement_timeout} (PostgreSQL's {@code options} startup
     * parameter, after any the URL gives) and the driver's {@code socketTimeout} (whole seconds, at least one).
     */
    static void applyTimeouts(HikariDataSource hikari, PostgresTimeouts timeouts) {
        if (!timeouts.statementTimeout().isZero()) {
            Object options = hikari.getDataSourceProperties().get("options");
            String statementTimeout = "-c statement_timeout=" + timeouts.statementTimeout().toMillis();
            hikari.addDataSourceProperty("options", options == null ? statementTimeout : options + " " + statementTimeout);
        }
        if (!timeouts.socketTimeout().isZero()) {
            hikari.addDataSourceProperty("socketTimeout", Long.toString(Math.max(1,
                    (timeouts.socketTimeout().toMillis() + 999) / 1000)));
        }
    }

    /**
     * Schema migrations get a connection of their own from the same URL and credentials, without the services'
     * timeouts: building an index on a large table may rightly take minutes.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(FlywayConfigurationCustomizer.class)
    static class Migrations {

        @Bean
        FlywayConfigurationCustomizer migrationsWithoutStatementTimeouts(ObjectProvider<DataSource> dataSources) {
            return configuration -> {
                DataSource dataSource = dataSources.getIfUnique();
                if (dataSource instanceof GuardedDataSource guarded) {
                    dataSource = guarded.getTargetDataSource();
                }
                if (dataSource instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null) {
                    configuration.dataSource(hikari.getJdbcUrl(), hikari.getUsername(), hikari.getPassword());
                }
            };
        }
    }
}
