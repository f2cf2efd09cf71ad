package io.docstream.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RuntimeOptionsTests {

    @Test
    void namesTheOptionToChangeWhenAPortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            RuntimeOptions options = RuntimeOptions.defaults().withFreePorts()
                    .withServicePorts(FreePorts.find(), taken.getLocalPort(), FreePorts.find(), FreePorts.find());

            assertThatIllegalStateException().isThrownBy(options::requirePortsFree)
                    .withMessageContaining(Integer.toString(taken.getLocalPort()))
                    .withMessageContaining("--ingest-port");
        }
    }

    @Test
    void refusesOnePortForTwoServices() {
        RuntimeOptions options = RuntimeOptions.defaults().withFreePorts();
        RuntimeOptions clash = options.withServicePorts(options.queryApiPort(), options.queryApiPort(),
                options.indexerPort(), options.invalidatorPort());

        assertThatIllegalStateException().isThrownBy(clash::requirePortsFree).withMessageContaining("--ingest-port");
    }

    @Test
    void resolvesTheDataDirectoryAndKeepsTheKeyInside() {
        RuntimeOptions options = RuntimeOptions.defaults().withDataDir(Path.of("some", "dir"));

        assertThat(options.dataDir().isAbsolute()).isTrue();
        assertThat(options.dataDir().endsWith(Path.of("some", "dir"))).isTrue();
        assertThat(options.apiKeyFile()).isEqualTo(options.dataDir().resolve("api-key"));
    }
}
