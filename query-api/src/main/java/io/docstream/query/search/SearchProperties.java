package io.docstream.query.search;

import io.docstream.core.web.ProblemException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How hybrid search retrieves and fuses.
 *
 * @param fusion {@code rrf} (reciprocal rank fusion) or {@code weighted} (score-normalised)
 * @param rrfRankConstant the k of reciprocal rank fusion
 * @param semanticWeight weight of the dense ranking in weighted fusion
 * @param keywordWeight weight of the BM25 ranking in weighted fusion
 * @param minCandidates fewest chunks fetched per retrieval; at least 4 per requested result are fetched
 * @param parallelism threads running dense retrievals next to keyword ones
 * @param timeout longest wait for one retrieval before the search answers without it
 */
@ConfigurationProperties("docstream.search")
record SearchProperties(
        @DefaultValue("weighted") FusionMethod fusion,
        @DefaultValue("60") int rrfRankConstant,
        @DefaultValue("0.5") double semanticWeight,
        @DefaultValue("0.5") double keywordWeight,
        @DefaultValue("100") int minCandidates,
        @DefaultValue("8") int parallelism,
        @DefaultValue("10s") Duration timeout) {

    /** How hybrid search merges its two rankings; a request may pick one with {@code fusion=rrf|weighted}. */
    enum FusionMethod {

        RRF, WEIGHTED;

        String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        static FusionMethod parse(String value) {
            return Arrays.stream(values())
                    .filter(fusion -> fusion.value().equals(value))
                    .findFirst()
                    .orElseThrow(() -> ProblemException.invalidRequest("Parameter 'fusion' must be one of "
                            + Arrays.stream(values()).map(FusionMethod::value).collect(Collectors.joining(", "))
                            + "."));
        }
    }

    SearchProperties {
        if (rrfRankConstant < 0 || minCandidates < 1 || parallelism < 1 || !timeout.isPositive()) {
            throw new IllegalArgumentException("docstream.search: rank constant, candidates, parallelism and timeout "
                    + "must be positive");
        }
        if (!(semanticWeight >= 0 && keywordWeight >= 0 && semanticWeight + keywordWeight > 0)) {
            throw new IllegalArgumentException("docstream.search weights must not be negative and not both zero");
        }
    }
}
