package io.docstream.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class EmbeddingConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withUserConfiguration(EmbeddingConfiguration.class);

    @Test
    void providesMiniLmByDefaultAndTheConfiguredModelOtherwise() {
        contextRunner.run(context -> assertThat(context.getBean("embedder", Embedder.class).modelId())
                .isEqualTo("all-minilm-l6-v2-q"));
        contextRunner.withPropertyValues("docstream.embedding.model=bge-small-en-v1.5-q").run(context ->
                assertThat(context.getBean(Embedder.class).modelId()).isEqualTo("bge-small-en-v1.5-q"));
    }

    @Test
    void failsAtStartupForAnUnknownModel() {
        contextRunner.withPropertyValues("docstream.embedding.model=gpt-embedding").run(context ->
                assertThat(context).getFailure().rootCause()
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("all-minilm-l6-v2-q"));
    }
}
