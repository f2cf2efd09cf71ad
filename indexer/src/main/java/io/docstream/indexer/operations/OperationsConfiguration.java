package io.docstream.indexer.operations;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import org.jooq.DSLContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The group's replay and reindex state in PostgreSQL, with a name for this instance that no other one shares. */
@Configuration(proxyBeanMethods = false)
class OperationsConfiguration {

    @Bean
    GroupOperations groupOperations(DSLContext dsl) {
        return new GroupOperations(dsl, hostName() + "/" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "indexer";
        }
    }
}
