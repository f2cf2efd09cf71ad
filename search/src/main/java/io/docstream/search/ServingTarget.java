package io.docstream.search;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The target an adapter serves from, swapped with one volatile write, and the {@link SearchIndex} view that
 * delegates every call to whichever target is current when the call starts. A switch never closes the
 * previous target, so calls in flight on it finish normally.
 */
public final class ServingTarget {

    private static final Logger log = LoggerFactory.getLogger(ServingTarget.class);

    private final String adapter;
    private final List<Consumer<IndexTarget.Ref>> listeners = new CopyOnWriteArrayList<>();
    private volatile Bound bound;

    public ServingTarget(String adapter) {
        this.adapter = Objects.requireNonNull(adapter, "adapter");
    }

    /** Serves from {@code index} from now on; listeners hear of the first target and of every change. */
    public void bind(IndexTarget.Ref target, SearchIndex index) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(index, "index");
        Bound previous = bound;
        bound = new Bound(target, index);
        if (previous == null) {
            listeners.forEach(listener -> listener.accept(target));
        }
        else if (!previous.target().equals(target)) {
            log.info("{} index now serves from {} (model {}), was {}", adapter, target.name(), target.model(),
                    previous.target().name());
            listeners.forEach(listener -> listener.accept(target));
        }
    }

    /** Whether a target was bound yet (a read-only follower has none until the writer creates the alias). */
    public boolean isBound() {
        return bound != null;
    }

    public IndexTarget.Ref current() {
        return require().target();
    }

    public void onSwitch(Consumer<IndexTarget.Ref> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The view the services use; closing it does nothing (the adapter's targets own the indexes). */
    public SearchIndex view() {
        return new DelegatingSearchIndex(adapter, () -> require().index());
    }

    private Bound require() {
        Bound current = bound;
        if (current == null) {
            throw new IllegalStateException("The " + adapter + " index has no target yet");
        }
        return current;
    }

    private record Bound(IndexTarget.Ref target, SearchIndex index) {
    }
}
