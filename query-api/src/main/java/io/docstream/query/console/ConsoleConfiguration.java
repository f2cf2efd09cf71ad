package io.docstream.query.console;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The console's static files from the jar, and the headers that let them run in a browser and nothing else. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleProperties.class)
class ConsoleConfiguration {

    static final String PATH = "/console";

    @Bean
    WebMvcConfigurer consoleResources() {
        return new WebMvcConfigurer() {
            @Override
            public void addResourceHandlers(ResourceHandlerRegistry registry) {
                registry.addResourceHandler(PATH + "/**").addResourceLocations("classpath:/console/");
            }
        };
    }

    /** After the platform's security headers, which forbid everything: the console's pages need their own policy. */
    @Bean
    FilterRegistrationBean<ConsolePolicyFilter> consolePolicyFilter(ConsoleProperties properties) {
        FilterRegistrationBean<ConsolePolicyFilter> registration =
                new FilterRegistrationBean<>(new ConsolePolicyFilter(properties.ingestOrigin()));
        registration.addUrlPatterns(PATH, PATH + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 11);
        return registration;
    }
}
