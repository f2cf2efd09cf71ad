package io.docstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WrkTests {

    @Test
    void readsTheSummaryLineOfItsScript() throws Exception {
        LoadRun run = Wrk.parse("""
                Running 1s test @ http://127.0.0.1:1/
                Requests/sec:    284.36
                DOCSTREAM_BENCH requests=300 duration_us=1500000 errors=1 non2xx=2 p50_us=5289.0 p99_us=64358.0
                """);

        assertThat(run).isEqualTo(new LoadRun("wrk", 300, 3, 1.5, 5.289, 64.358));
        assertThat(run.requestsPerSecond()).isEqualTo(200.0);
    }

    @Test
    void theScriptSetsTheHeaders() {
        assertThat(Wrk.script(Map.of("Authorization", "Bearer a\"b")))
                .startsWith("wrk.headers[\"Authorization\"] = \"Bearer a\\\"b\"\n")
                .contains("latency:percentile(99)");
    }

    @Test
    void loadsTheBareServerWhenInstalled() throws Exception {
        Optional<Wrk> wrk = Wrk.find();
        assumeThat(wrk).as("wrk on the PATH").isPresent();
        try (BareHttpServer bare = new BareHttpServer("{}".getBytes(StandardCharsets.UTF_8), "application/json", 2)) {
            LoadRun run = wrk.get().run(bare.url(URI.create("http://x/api/v1/search?q=a")).toString(),
                    Map.of("Authorization", "Bearer k"), 2, Duration.ofSeconds(1));

            assertThat(run.requests()).isPositive();
            assertThat(run.errors()).isZero();
            assertThat(run.p99Millis()).isGreaterThanOrEqualTo(run.p50Millis()).isPositive();
        }
    }
}
