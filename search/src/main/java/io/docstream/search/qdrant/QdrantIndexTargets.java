package io.docstream.search.qdrant;

import io.docstream.search.DelegatingSearchIndex;
import io.docstream.search.IndexTarget;
import io.docstream.search.IndexTargets;
import io.docstream.search.SearchIndex;
import io.docstream.search.ServingTarget;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Qdrant targets are the collections {@code <alias>__<model>__<build>} and the alias is Qdrant's own, moved
 * in one atomic alias operation. This process reads and writes the collection the alias named when it last
 * looked (not the alias itself), so its query embeddings always match the collection it searches; another
 * process's switch reaches it through {@link #refresh()}. Nothing talks to Qdrant until the first call.
 */
public final class QdrantIndexTargets implements IndexTargets {

    private final QdrantSearchIndex admin;
    private final String defaultModel;
    private final int defaultDimensions;
    private final Map<String, QdrantSearchIndex> bound = new ConcurrentHashMap<>();
    private final ServingTarget serving = new ServingTarget("qdrant");
    private final Object lock = new Object();
    private volatile boolean started;

    /**
     * Targets behind the alias of {@code settings}; when the alias is missing, the first call creates the
     * collection of {@code model} and the configured build and points the alias at it.
     */
    public QdrantIndexTargets(QdrantSettings settings, String model, int dimensions) {
        this(new QdrantSearchIndex(settings, model, dimensions), model, dimensions);
    }

    QdrantIndexTargets(QdrantSearchIndex admin, String model, int dimensions) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.defaultModel = Objects.requireNonNull(model, "model");
        this.defaultDimensions = dimensions;
    }

    @Override
    public String name() {
        return "qdrant";
    }

    @Override
    public String alias() {
        return admin.settings().alias();
    }

    public QdrantSettings settings() {
        return admin.settings();
    }

    /** The model new targets get when the alias is missing. */
    public String defaultModel() {
        return defaultModel;
    }

    @Override
    public IndexTarget.Ref current() {
        start();
        return serving.current();
    }

    @Override
    public String create(String model, int dimensions, String build) {
        return admin.createCollection(model, dimensions, build);
    }

    @Override
    public SearchIndex open(String target) {
        return DelegatingSearchIndex.unclosable(index(target));
    }

    @Override
    public void pointAliasAt(String target) {
        synchronized (lock) {
            QdrantSearchIndex index = index(target);
            admin.pointAliasAt(target);
            serving.bind(new IndexTarget.Ref(target, index.modelId()), index);
            started = true;
        }
    }

    @Override
    public List<IndexTarget> list() {
        String current = admin.aliasTarget().orElse("");
        return admin.collections().stream()
                .map(collection -> {
                    QdrantSearchIndex index = index(collection);
                    return new IndexTarget(collection, index.modelId(), index.countAllDocuments(),
                            collection.equals(current));
                })
                .toList();
    }

    @Override
    public Optional<String> modelOf(String target) {
        return admin.describe(target).map(QdrantSearchIndex.CollectionModel::model);
    }

    @Override
    public void drop(String target) {
        synchronized (lock) {
            if (started && target.equals(serving.current().name())) {
                throw new IllegalStateException("Refusing to drop " + target + ": this process serves from it");
            }
            admin.dropCollection(target);
            QdrantSearchIndex index = bound.remove(target);
            if (index != null) {
                index.close();
            }
        }
    }

    @Override
    public IndexTarget.Ref refresh() {
        synchronized (lock) {
            if (!started) {
                start();
                return serving.current();
            }
            Optional<String> pointed = admin.aliasTarget();
            if (pointed.isPresent() && !pointed.get().equals(serving.current().name())) {
                QdrantSearchIndex index = index(pointed.get());
                serving.bind(new IndexTarget.Ref(pointed.get(), index.modelId()), index);
            }
            return serving.current();
        }
    }

    @Override
    public SearchIndex serving() {
        return new DelegatingSearchIndex("qdrant", () -> {
            start();
            return servingIndex();
        });
    }

    @Override
    public void onSwitch(Consumer<IndexTarget.Ref> listener) {
        serving.onSwitch(listener);
    }

    @Override
    public void close() {
        bound.values().forEach(QdrantSearchIndex::close);
        bound.clear();
        admin.close();
    }

    @Override
    public String toString() {
        return "QdrantIndexTargets[" + admin.settings() + "]";
    }

    private SearchIndex servingIndex() {
        IndexTarget.Ref current = serving.current();
        return index(current.name());
    }

    /** Finds the alias's collection, creating collection and alias when the alias is missing. */
    private void start() {
        if (started) {
            return;
        }
        synchronized (lock) {
            if (started) {
                return;
            }
            String target = admin.aliasTarget().orElseGet(() -> {
                String collection = admin.createCollection(defaultModel, defaultDimensions, admin.settings().build());
                admin.pointAliasAt(collection);
                return admin.aliasTarget().orElse(collection);
            });
            QdrantSearchIndex index = index(target);
            serving.bind(new IndexTarget.Ref(target, index.modelId()), index);
            started = true;
        }
    }

    private QdrantSearchIndex index(String collection) {
        QdrantSearchIndex index = bound.get(collection);
        if (index != null) {
            return index;
        }
        QdrantSearchIndex.CollectionModel model = admin.describe(collection)
                .orElseThrow(() -> new IllegalArgumentException("There is no collection '" + collection + "'"));
        if (model.model().isEmpty()) {
            throw new IllegalStateException("Collection '" + collection + "' records no model; it was not created "
                    + "by this version of docstream");
        }
        return bound.computeIfAbsent(collection, name -> admin.boundTo(name, model.model(), model.dimensions()));
    }
}
