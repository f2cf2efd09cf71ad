package io.docstream.cli.eval;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A way of searching that {@code eval} measures: a search mode, for hybrid search with a fusion method
 * ({@code hybrid} alone uses the deployment's configured fusion).
 */
enum EvalMode {

    KEYWORD("keyword", "keyword", null),
    SEMANTIC("semantic", "semantic", null),
    HYBRID_RRF("hybrid-rrf", "hybrid", "rrf"),
    HYBRID_WEIGHTED("hybrid-weighted", "hybrid", "weighted"),
    HYBRID("hybrid", "hybrid", null);

    private final String label;
    private final String mode;
    private final String fusion;

    EvalMode(String label, String mode, String fusion) {
        this.label = label;
        this.mode = mode;
        this.fusion = fusion;
    }

    String label() {
        return label;
    }

    /** The search API's {@code mode} parameter. */
    String mode() {
        return mode;
    }

    /** The search API's {@code fusion} parameter, or null to leave it out. */
    String fusion() {
        return fusion;
    }

    static EvalMode parse(String label, Function<String, ? extends RuntimeException> failure) {
        return Arrays.stream(values())
                .filter(value -> value.label.equals(label.strip()))
                .findFirst()
                .orElseThrow(() -> failure.apply("unknown mode '" + label + "'; choose from "
                        + Arrays.stream(values()).map(EvalMode::label).collect(Collectors.joining(", "))));
    }
}
