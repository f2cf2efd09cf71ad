package io.docstream.indexer.admin;

import io.docstream.platform.errors.InvalidInputException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * Where a replay starts on the documents topic: the earliest offset, the first record at or after a
 * time, or given offsets per partition (partitions not named keep the group's committed offset).
 */
sealed interface ReplayFrom {

    String EARLIEST_NAME = "earliest";

    /** How the replay is shown in its status and audit record. */
    String describe();

    record Earliest() implements ReplayFrom {
        @Override
        public String describe() {
            return EARLIEST_NAME;
        }
    }

    record Timestamp(Instant time) implements ReplayFrom {
        @Override
        public String describe() {
            return time.toString();
        }
    }

    record Offsets(Map<Integer, Long> byPartition) implements ReplayFrom {

        public Offsets {
            byPartition = Map.copyOf(byPartition);
        }

        @Override
        public String describe() {
            return "offsets " + new TreeMap<>(byPartition);
        }
    }

    /** {@code "earliest"}, an ISO-8601 instant, or {@code {"offsets": {"0": 12}}}; anything else is a 400. */
    static ReplayFrom parse(JsonNode from) {
        if (from == null || from.isNull() || from.isMissingNode()) {
            throw new InvalidInputException("Field 'from' is required: \"earliest\", an ISO-8601 timestamp"
                    + " or {\"offsets\": {\"<partition>\": <offset>}}.");
        }
        if (from.isString()) {
            return parse(from.asString());
        }
        JsonNode offsets = from.path("offsets");
        if (!from.isObject() || !offsets.isObject() || offsets.isEmpty() || from.size() != 1) {
            throw new InvalidInputException("Field 'from' must be \"earliest\", an ISO-8601 timestamp or"
                    + " {\"offsets\": {\"<partition>\": <offset>, ...}} with at least one partition.");
        }
        Map<Integer, Long> byPartition = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : offsets.properties()) {
            int partition;
            try {
                partition = Integer.parseInt(entry.getKey());
            } catch (NumberFormatException e) {
                throw new InvalidInputException("Partition '" + entry.getKey() + "' in 'from.offsets' is not"
                        + " a number.");
            }
            if (!entry.getValue().isIntegralNumber() || entry.getValue().asLong() < 0 || partition < 0) {
                throw new InvalidInputException("The offset of partition " + entry.getKey()
                        + " in 'from.offsets' must be a non-negative integer.");
            }
            byPartition.put(partition, entry.getValue().asLong());
        }
        return new Offsets(byPartition);
    }

    private static ReplayFrom parse(String from) {
        if (EARLIEST_NAME.equals(from)) {
            return new Earliest();
        }
        try {
            return new Timestamp(Instant.parse(from));
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("Field 'from' must be \"earliest\" or an ISO-8601 timestamp such"
                    + " as 2026-01-31T12:00:00Z, not '" + from + "'.");
        }
    }
}
