package io.docstream.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class FileSecretsEnvironmentPostProcessorTests {

    @TempDir
    Path secrets;

    @Test
    void bindsTheFilesContentToThePropertyTheVariableNames() throws IOException {
        Path password = write("postgres_password", "s3cret-with-trailing-space \n");
        Path apiKey = write("qdrant_api_key", "qk-123\r\n");

        StandardEnvironment environment = environmentWith(Map.of(
                "SPRING_DATASOURCE_PASSWORD_FILE", password.toString(),
                "DOCSTREAM_INDEX_QDRANT_API_KEY_FILE", apiKey.toString()));

        Binder binder = Binder.get(environment);
        assertThat(binder.bind("spring.datasource.password", String.class).get()).isEqualTo("s3cret-with-trailing-space ");
        assertThat(binder.bind("docstream.index.qdrant.api-key", String.class).get()).isEqualTo("qk-123");
    }

    @Test
    void overridesValuesFromConfigurationFilesAndKeepsOtherVariables() throws IOException {
        Path password = write("pw", "from-file");
        StandardEnvironment environment = environmentWith(Map.of(
                "SPRING_DATASOURCE_PASSWORD_FILE", password.toString(),
                "SPRING_DATASOURCE_USERNAME", "docstream"));
        environment.getPropertySources().addLast(new MapPropertySource("application.yml",
                Map.of("spring.datasource.password", "from-yaml")));

        assertThat(environment.getProperty("spring.datasource.password")).isEqualTo("from-file");
        assertThat(environment.getProperty("spring.datasource.username")).isEqualTo("docstream");
    }

    @Test
    void ignoresOtherProgramsFileVariables() {
        StandardEnvironment environment = environmentWith(Map.of("SSL_CERT_FILE", "/no/such/file", "HISTFILE", "/x"));

        assertThat(environment.getPropertySources().contains(FileSecretsEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
                .isFalse();
    }

    @Test
    void refusesAValueAndAFileForTheSameVariable() throws IOException {
        Path password = write("pw", "from-file");

        assertThatIllegalStateException()
                .isThrownBy(() -> environmentWith(Map.of("SPRING_DATASOURCE_PASSWORD_FILE", password.toString(),
                        "SPRING_DATASOURCE_PASSWORD", "plain")))
                .withMessage("Both SPRING_DATASOURCE_PASSWORD and SPRING_DATASOURCE_PASSWORD_FILE are set; set only one of them");
    }

    @Test
    void namesTheVariableButNeverTheSecretWhenTheFileCannotBeRead() throws IOException {
        Path directory = Files.createDirectory(secrets.resolve("a-directory"));

        assertThatIllegalStateException()
                .isThrownBy(() -> environmentWith(Map.of("DOCSTREAM_REDIS_PASSWORD_FILE", directory.toString())))
                .withMessageContaining("DOCSTREAM_REDIS_PASSWORD_FILE")
                .withMessageContaining(directory.toString());
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(secrets.resolve(name), content);
    }

    private static StandardEnvironment environmentWith(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new LinkedHashMap<>(variables)));
        ConfigurationPropertySources.attach(environment);
        new FileSecretsEnvironmentPostProcessor().postProcessEnvironment(environment, null);
        return environment;
    }
}
