package io.docstream.ingest.dlq;

import io.docstream.platform.errors.InvalidInputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A DLQ entry's name, {@code <partition>-<offset>}: its place in the dead-letter topic. */
record EntryId(int partition, long offset) implements Comparable<EntryId> {

    private static final Pattern FORM = Pattern.compile("(\\d{1,9})-(\\d{1,18})");

    static EntryId parse(String value) {
        Matcher matcher = FORM.matcher(value);
        if (!matcher.matches()) {
            throw new InvalidInputException("A DLQ entry is named <partition>-<offset>, like 0-42.");
        }
        return new EntryId(Integer.parseInt(matcher.group(1)), Long.parseLong(matcher.group(2)));
    }

    @Override
    public int compareTo(EntryId other) {
        int byPartition = Integer.compare(partition, other.partition);
        return byPartition != 0 ? byPartition : Long.compare(offset, other.offset);
    }

    @Override
    public String toString() {
        return partition + "-" + offset;
    }
}
