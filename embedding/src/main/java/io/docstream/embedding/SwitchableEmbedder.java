package io.docstream.embedding;

import io.docstream.embedding.TokenCounter;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedder of whatever model the serving index target holds: queries and new chunks must be embedded
 * by the model of the vectors they are compared with. {@link #switchTo} follows the index alias; each call
 * uses the model that is current when it starts.
 */
public final class SwitchableEmbedder implements Embedder {

    private static final Logger log = LoggerFactory.getLogger(SwitchableEmbedder.class);

    private final EmbedderRegistry registry;
    private volatile Embedder current;

    public SwitchableEmbedder(EmbedderRegistry registry, String initialModel) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.current = registry.embedder(initialModel);
    }

    /** Embeds with {@code modelId} from now on (loading it first when needed). */
    public void switchTo(String modelId) {
        Embedder next = registry.embedder(modelId);
        Embedder previous = current;
        current = next;
        if (!previous.modelId().equals(modelId)) {
            log.info("Embedding with model {} (was {})", modelId, previous.modelId());
        }
    }

    /** The embedder calls go to right now. */
    public Embedder current() {
        return current;
    }

    public EmbedderRegistry registry() {
        return registry;
    }

    @Override
    public String modelId() {
        return current.modelId();
    }

    @Override
    public int dimensions() {
        return current.dimensions();
    }

    @Override
    public int maxTokens() {
        return current.maxTokens();
    }

    @Override
    public TokenCounter tokenCounter() {
        return current.tokenCounter();
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        return current.embedDocuments(texts);
    }

    @Override
    public float[] embedQuery(String query) {
        return current.embedQuery(query);
    }

    @Override
    public String toString() {
        return "SwitchableEmbedder[" + current + "]";
    }
}
