package io.docstream.schemas.serde;

import io.docstream.schemas.events.QueryExecuted;

public final class QueryExecutedSerde extends JsonSerde<QueryExecuted> {

    public QueryExecutedSerde() {
        super(QueryExecuted.class);
    }
}
