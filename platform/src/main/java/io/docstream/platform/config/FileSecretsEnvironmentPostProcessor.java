package io.docstream.platform.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Reads secrets from files, the Docker and Kubernetes secrets convention: for every environment
 * variable {@code NAME_FILE=/path} whose name starts with {@code SPRING_} or {@code DOCSTREAM_} (other
 * programs' {@code *_FILE} variables are none of our business), the file's content (one trailing line break removed) becomes the
 * value of {@code NAME}, which Spring binds like any environment variable (so
 * {@code SPRING_DATASOURCE_PASSWORD_FILE} sets {@code spring.datasource.password}). Setting both
 * {@code NAME} and {@code NAME_FILE}, or naming a file that cannot be read, stops the start with a message
 * that names the variable and never the secret.
 */
public class FileSecretsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** The property source holding the values read from files; it overrides the plain environment. */
    public static final String PROPERTY_SOURCE_NAME = "docstreamFileSecrets";
    private static final String SUFFIX = "_FILE";
    private static final List<String> PREFIXES = List.of("SPRING_", "DOCSTREAM_");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        MutablePropertySources sources = environment.getPropertySources();
        PropertySource<?> systemEnvironment = sources.get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        if (!(systemEnvironment instanceof EnumerablePropertySource<?> variables)) {
            return;
        }
        Map<String, Object> secrets = new LinkedHashMap<>();
        for (String name : variables.getPropertyNames()) {
            if (!name.endsWith(SUFFIX) || !isOurs(name)) {
                continue;
            }
            String target = name.substring(0, name.length() - SUFFIX.length());
            if (variables.containsProperty(target)) {
                throw new IllegalStateException("Both " + target + " and " + name + " are set; set only one of them");
            }
            secrets.put(target, read(name, String.valueOf(variables.getProperty(name))));
        }
        if (!secrets.isEmpty()) {
            sources.addBefore(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                    new SystemEnvironmentPropertySource(PROPERTY_SOURCE_NAME, secrets));
        }
    }

    private static boolean isOurs(String name) {
        return PREFIXES.stream().anyMatch(prefix -> name.startsWith(prefix) && name.length() > prefix.length() + SUFFIX.length());
    }

    private static String read(String variable, String file) {
        try {
            String content = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            if (content.endsWith("\r\n")) {
                return content.substring(0, content.length() - 2);
            }
            return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot read the file that " + variable + " names (" + file + "): "
                    + e.getClass().getSimpleName(), e);
        }
    }

    /** Right after the environment variables are in place, before configuration files are read. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 5;
    }
}
