package io.docstream.query.search;

import io.docstream.platform.errors.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which retrievals a search runs: dense vectors, BM25, or both fused. */
enum SearchMode {

    HYBRID, SEMANTIC, KEYWORD;

    String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SearchMode parse(String value) {
        return Arrays.stream(values())
                .filter(mode -> mode.value().equals(value))
                .findFirst()
                .orElseThrow(() -> new InvalidInputException("Parameter 'mode' must be one of "
                        + Arrays.stream(values()).map(SearchMode::value).collect(Collectors.joining(", ")) + "."));
    }
}
