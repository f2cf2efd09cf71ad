package io.docstream.ingest.dlq;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * One tenant's view of the dead-letter topic. An entry belongs to the tenant its key names, so a command
 * for a tenant created only later becomes visible to that tenant's admins, who fix and redrive it; a record
 * whose key does not parse belongs to no tenant and is only counted. Purged entries are hidden; they leave
 * the topic once every record before them is purged too, since Kafka deletes only whole prefixes (others
 * expire with the topic's retention).
 */
final class DeadLetterQueue {

    private final DeadLetterTopic topic;
    private final DlqMarkers markers;

    DeadLetterQueue(DeadLetterTopic topic, DlqMarkers markers) {
        this.topic = topic;
        this.markers = markers;
    }

    /** A tenant's entry with what operators did with it. */
    record Entry(DeadLetter letter, Optional<DlqMarkers.Marker> marker) {

        boolean redriven() {
            return marker.filter(DlqMarkers.Marker::redriven).isPresent();
        }
    }

    /** A tenant's visible entries (oldest first) and the count of entries that belong to no tenant. */
    record Contents(List<Entry> entries, int unattributed) {
    }

    Contents contents(String tenant) {
        Map<EntryId, DlqMarkers.Marker> known = markers.all(DeadLetterTopic.TOPIC);
        List<Entry> entries = new ArrayList<>();
        int unattributed = 0;
        for (DeadLetter letter : topic.readAll()) {
            if (letter.tenant().isEmpty()) {
                unattributed++;
                continue;
            }
            Optional<DlqMarkers.Marker> marker = Optional.ofNullable(known.get(letter.id()));
            if (letter.belongsTo(tenant) && marker.filter(DlqMarkers.Marker::purged).isEmpty()) {
                entries.add(new Entry(letter, marker));
            }
        }
        entries.sort(Comparator.comparing((Entry entry) -> entry.letter().time())
                .thenComparing(entry -> entry.letter().id()));
        return new Contents(entries, unattributed);
    }

    /** The tenant's entry, unless it is not there, not the tenant's, or purged. */
    Optional<Entry> find(String tenant, EntryId id) {
        return topic.read(id)
                .filter(letter -> letter.belongsTo(tenant))
                .map(letter -> new Entry(letter, markers.find(DeadLetterTopic.TOPIC, id)))
                .filter(entry -> entry.marker().filter(DlqMarkers.Marker::purged).isEmpty());
    }

    /** Produces the entry back to the documents topic; empty when it had already been redriven. */
    Optional<RecordMetadata> redrive(Entry entry, String actor) {
        DeadLetter letter = entry.letter();
        RecordMetadata[] landed = new RecordMetadata[1];
        boolean claimed = markers.redrive(DeadLetterTopic.TOPIC, letter.id(), letter.tenant().orElseThrow(), actor,
                () -> landed[0] = topic.redrive(letter));
        return claimed ? Optional.of(landed[0]) : Optional.empty();
    }

    /**
     * Marks all the tenant's entries purged, then deletes from each partition the longest prefix of records
     * that are all purged. Returns how many entries were purged and how many records left the topic.
     */
    Purge purge(String tenant, String actor) {
        List<EntryId> mine = contents(tenant).entries().stream().map(entry -> entry.letter().id()).toList();
        markers.purge(DeadLetterTopic.TOPIC, mine, tenant, actor);
        Map<EntryId, DlqMarkers.Marker> known = markers.all(DeadLetterTopic.TOPIC);
        Map<Integer, Long> deleteBefore = new TreeMap<>();
        Map<Integer, Boolean> blocked = new TreeMap<>();
        long deleted = 0;
        for (DeadLetter letter : topic.readAll()) {
            int partition = letter.id().partition();
            if (blocked.getOrDefault(partition, false)) {
                continue;
            }
            DlqMarkers.Marker marker = known.get(letter.id());
            if (marker != null && marker.purged()) {
                deleteBefore.put(partition, letter.id().offset() + 1);
                deleted++;
            } else {
                blocked.put(partition, true);
            }
        }
        topic.deleteBefore(deleteBefore);
        return new Purge(mine.size(), deleted);
    }

    record Purge(int purged, long deletedFromTopic) {
    }
}
