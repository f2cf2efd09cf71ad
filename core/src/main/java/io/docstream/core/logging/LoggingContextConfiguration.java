package io.docstream.core.logging;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Registers {@link LoggingContext} for every API request of a web service. */
@Configuration(proxyBeanMethods = false)
public class LoggingContextConfiguration {

    @Bean
    WebMvcConfigurer loggingContextInterceptor() {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new LoggingContext()).addPathPatterns("/api/**");
            }
        };
    }
}
