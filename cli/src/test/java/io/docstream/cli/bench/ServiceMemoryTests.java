package io.docstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ServiceMemoryTests {

    @Test
    void recognisesTheRunCommandOnly() {
        assertThat(ServiceMemory.isRunCommand("/usr/lib/jvm/bin/java -Xmx2g -cp a.jar:lib/* "
                + "io.docstream.cli.DocstreamCli run --model x")).isTrue();
        assertThat(ServiceMemory.isRunCommand("java -cp a.jar io.docstream.cli.DocstreamCli bench all")).isFalse();
        assertThat(ServiceMemory.isRunCommand("java -cp run.jar io.docstream.cli.DocstreamCli bench all --pid run"))
                .as("the word after the main class is the command").isFalse();
        assertThat(ServiceMemory.isRunCommand("java -cp a.jar io.docstream.cli.DocstreamCli")).isFalse();
        assertThat(ServiceMemory.isRunCommand("java -jar other.jar run")).isFalse();
    }

    @Test
    void readsResidentMemoryOfAGivenProcess() throws Exception {
        if (!Files.exists(Path.of("/proc/self/status"))) {
            return;
        }
        ServiceMemory memory = ServiceMemory.locate(ProcessHandle.current().pid());
        try (ServiceMemory.Sampler sampler = memory.sample()) {
            Thread.sleep(300);
            sampler.close();
            assertThat(sampler.maxRssMb()).isPositive();
            assertThat(sampler.report().peakRssMbVmHWM()).isGreaterThanOrEqualTo(sampler.maxRssMb());
        }
        assertThat(memory.readKb("VmHWM")).isPositive();
    }
}
