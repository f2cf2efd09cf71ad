package io.docstream.platform.resilience;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The service's {@link RemoteCalls}, with each call's policy bound from {@code docstream.resilience.<call>.*} over
 * its defaults, and its PostgreSQL data source wrapped in a {@link GuardedDataSource} whose Hikari connection
 * timeout is the {@code postgres} call's {@code timeout}.
 */
@AutoConfiguration
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
    static BeanPostProcessor guardedDataSources(ObjectProvider<RemoteCalls> remoteCalls) {
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
                }
                return new GuardedDataSource(dataSource, guard);
            }
        };
    }
}
