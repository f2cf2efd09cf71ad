package io.docstream.search;

import java.util.Objects;

/** One physical index behind the alias: its name, the model of its vectors, its live documents. */
public record IndexTarget(String name, String model, long documents, boolean current) {

    public IndexTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
    }

    /** A target by name and model, as the alias resolves to it. */
    public record Ref(String name, String model) {

        public Ref {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(model, "model");
        }
    }
}
