package io.docstream.search;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The physical indexes (targets) behind the search alias, one per model and build, and the alias that
 * names the one serving searches: what a zero-downtime reindex needs from an adapter. A target holds the
 * vectors of one model only. Pointing the alias is atomic; {@link #serving()} follows it, in this process at
 * once and in other processes when their {@link #refresh()} notices the move.
 */
public interface IndexTargets extends AutoCloseable {

    /** The adapter's name, e.g. {@code lucene} or {@code qdrant}. */
    String name();

    /** The alias every serving read and write goes through. */
    String alias();

    /** The target this process serves from (the alias's target when last read). */
    IndexTarget.Ref current();

    /**
     * Creates the target of {@code model} and {@code build} unless it exists; an existing one must hold that
     * model's vectors ({@link IllegalStateException} otherwise). Returns its name, e.g.
     * {@code docstream-chunks__bge-small-en-v1.5-q__2}.
     */
    String create(String model, int dimensions, String build);

    /** A search index bound to one target, whatever the alias names; closing it leaves the target open. */
    SearchIndex open(String target);

    /** Points the alias at {@code target} in one atomic step; this process serves from it at once. */
    void pointAliasAt(String target);

    /** Every target of the alias with its model and number of live documents, sorted by name. */
    List<IndexTarget> list();

    /** The model of one target, or empty when there is no such target. */
    Optional<String> modelOf(String target);

    /** Drops a target and its data; the alias's target is refused ({@link IllegalStateException}). */
    void drop(String target);

    /**
     * Reads the alias again and, when another process moved it, serves from its new target. Returns the
     * target served from afterwards.
     */
    IndexTarget.Ref refresh();

    /** The search index that always reads and writes the current target. */
    SearchIndex serving();

    /**
     * Whether this process follows an index another process writes, and so sees new writes only after
     * {@link #refresh()} (a read-only follower of a Lucene index); the targets of a remote engine see them at once.
     */
    default boolean followsAnotherWriter() {
        return false;
    }

    /** Called with the new target whenever this process starts serving from another one. */
    void onSwitch(Consumer<IndexTarget.Ref> listener);

    @Override
    void close();
}
