package io.docstream.embedding;

import io.docstream.embedding.onnx.OnnxEmbedder;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One {@link Embedder} per model id, loaded on first use and kept: a reindex to another model and the
 * services that follow the alias to it share the same loaded model.
 */
public final class EmbedderRegistry {

    private final Function<String, Embedder> loader;
    private final Map<String, Embedder> loaded = new ConcurrentHashMap<>();

    /** Loads the in-process ONNX models ({@link OnnxEmbedder#forModel}). */
    public EmbedderRegistry() {
        this(OnnxEmbedder::forModel);
    }

    public EmbedderRegistry(Function<String, Embedder> loader) {
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    /** A registry that already holds {@code embedder}, so its model is not loaded again. */
    public static EmbedderRegistry with(Embedder embedder) {
        EmbedderRegistry registry = new EmbedderRegistry();
        registry.loaded.put(embedder.modelId(), embedder);
        return registry;
    }

    /**
     * The embedder of {@code modelId}.
     *
     * @throws IllegalArgumentException when no such model is known
     */
    public Embedder embedder(String modelId) {
        Objects.requireNonNull(modelId, "modelId");
        Embedder embedder = loaded.computeIfAbsent(modelId, loader);
        if (!embedder.modelId().equals(modelId)) {
            throw new IllegalStateException("Loading model '" + modelId + "' gave '" + embedder.modelId() + "'");
        }
        return embedder;
    }
}
