package io.docstream.invalidator.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.schemas.serde.JsonSerde;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnalyticsSerdesTests {

    private static final Instant WINDOW = Instant.parse("2026-12-07T14:00:00Z");

    @Test
    void shapeCountsRoundTripAndReadTheJsonOfEarlierReleases() {
        ShapeCounts counts = new ShapeCounts("acme", WINDOW, "shape", "hash", null, "hybrid", "weighted", 10,
                Map.of("lang", "en", "team", "hr"), 7, 2, 7_000, 3_000);
        AnalyticsSerdes.ShapeCountsSerde serde = new AnalyticsSerdes.ShapeCountsSerde();

        byte[] binary = serde.serializer().serialize("store", counts);
        byte[] json = new JsonSerde<ShapeCounts>(ShapeCounts.class) {
        }.toBytes(counts);

        assertThat(binary[0]).isEqualTo(AnalyticsSerdes.BINARY);
        assertThat(binary.length).isLessThan(json.length);
        assertThat(serde.deserializer().deserialize("store", binary)).isEqualTo(counts);
        assertThat(serde.deserializer().deserialize("store", json)).isEqualTo(counts);
    }

    @Test
    void modeCountsRoundTripAndReadTheJsonOfEarlierReleases() {
        ModeCounts counts = new ModeCounts("acme", WINDOW, "keyword", 9, 8, 1, 5, 2, 2, 1, new long[] {1, 0, 4, 4});
        AnalyticsSerdes.ModeCountsSerde serde = new AnalyticsSerdes.ModeCountsSerde();

        ModeCounts fromBinary = serde.deserializer().deserialize("store", serde.serializer().serialize("store", counts));
        ModeCounts fromJson = serde.deserializer().deserialize("store", new JsonSerde<ModeCounts>(ModeCounts.class) {
        }.toBytes(counts));

        for (ModeCounts read : new ModeCounts[] {fromBinary, fromJson}) {
            assertThat(read).usingRecursiveComparison().isEqualTo(counts);
        }
    }
}
