package io.docstream.indexer.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.platform.errors.InvalidInputException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ReplayFromTests {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void readsEarliestATimestampAndOffsets() {
        assertThat(parse("\"earliest\"")).isEqualTo(new ReplayFrom.Earliest());
        assertThat(parse("\"2026-01-31T12:00:00Z\""))
                .isEqualTo(new ReplayFrom.Timestamp(Instant.parse("2026-01-31T12:00:00Z")));
        assertThat(parse("{\"offsets\": {\"0\": 12, \"2\": 40}}"))
                .isEqualTo(new ReplayFrom.Offsets(Map.of(0, 12L, 2, 40L)));
    }

    @Test
    void refusesAnythingElseAsABadRequest() {
        for (String bad : new String[] { "null", "\"yesterday\"", "{\"offsets\": {}}", "{\"offsets\": {\"x\": 1}}",
                "{\"offsets\": {\"0\": -1}}", "{\"offsets\": {\"0\": 1.5}}", "42" }) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(InvalidInputException.class);
        }
    }

    private ReplayFrom parse(String from) {
        return ReplayFrom.parse(json.readTree(from));
    }
}
