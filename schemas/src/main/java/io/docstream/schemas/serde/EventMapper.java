package io.docstream.schemas.serde;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The one Jackson mapper every event serde is built from. */
public final class EventMapper {

    public static final JsonMapper INSTANCE = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private EventMapper() {
    }
}
