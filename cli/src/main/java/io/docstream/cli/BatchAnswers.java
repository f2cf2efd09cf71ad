package io.docstream.cli;

import tools.jackson.databind.JsonNode;

/** Reading the ingest API's answer to {@code POST /api/v1/documents:batch}. */
public final class BatchAnswers {

    private BatchAnswers() {
    }

    /** The per-document entries: the answer is an array of them, or an object holding one. */
    public static Iterable<JsonNode> entries(JsonNode answer) {
        if (answer.isArray()) {
            return answer;
        }
        for (JsonNode value : answer.values()) {
            if (value.isArray()) {
                return value;
            }
        }
        throw new CommandFailure("unexpected batch answer: " + answer);
    }
}
