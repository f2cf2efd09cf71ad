package io.docstream.invalidator.analytics;

import io.docstream.schemas.serde.JsonSerde;

/** The analytics stores' values as JSON, with the events' mapper. */
final class AnalyticsSerdes {

    private AnalyticsSerdes() {
    }

    static final class ShapeCountsSerde extends JsonSerde<ShapeCounts> {
        ShapeCountsSerde() {
            super(ShapeCounts.class);
        }
    }

    static final class ModeCountsSerde extends JsonSerde<ModeCounts> {
        ModeCountsSerde() {
            super(ModeCounts.class);
        }
    }
}
