package io.docstream.schemas.serde;

import io.docstream.schemas.events.CacheInvalidated;

public final class CacheInvalidatedSerde extends JsonSerde<CacheInvalidated> {

    public CacheInvalidatedSerde() {
        super(CacheInvalidated.class);
    }
}
