package io.docstream.query.search;

import io.docstream.platform.errors.InvalidInputException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How search retrieves, scores documents and fuses. The defaults were chosen with {@code ./docstream eval} on
 * two collections of different shapes (docs/search-quality.md).
 *
 * @param fusion {@code rrf} (reciprocal rank fusion) or {@code weighted} (score-normalised)
 * @param normalisation how weighted fusion normalises each ranking's scores: {@code z-score} or {@code min-max}
 * @param rrfRankConstant the k of reciprocal rank fusion
 * @param semanticWeight weight of the dense ranking in weighted fusion
 * @param keywordWeight weight of the BM25 ranking in weighted fusion
 * @param denseLengthPenalty a document's dense score is its best chunk's cosine less this many standard deviations
 *     of the retrieved chunks' cosines per natural log of its number of chunks
 * @param minCandidates fewest documents each retrieval ranks (at least the requested number); the window a cursor
 *     pages through
 * @param chunksPerCandidate dense retrieval fetches this many chunks per candidate document
 * @param parallelism threads running dense retrievals next to keyword ones
 * @param timeout longest wait for one retrieval before the search answers without it
 */
@ConfigurationProperties("docstream.search")
record SearchProperties(
        @DefaultValue("weighted") FusionMethod fusion,
        @DefaultValue("z-score") Fusion.Normalisation normalisation,
        @DefaultValue("60") int rrfRankConstant,
        @DefaultValue("0.6") double semanticWeight,
        @DefaultValue("0.4") double keywordWeight,
        @DefaultValue("1.0") double denseLengthPenalty,
        @DefaultValue("100") int minCandidates,
        @DefaultValue("4") int chunksPerCandidate,
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
                    .orElseThrow(() -> new InvalidInputException("Parameter 'fusion' must be one of "
                            + Arrays.stream(values()).map(FusionMethod::value).collect(Collectors.joining(", "))
                            + "."));
        }
    }

    SearchProperties {
        if (rrfRankConstant < 0 || minCandidates < 1 || chunksPerCandidate < 1 || parallelism < 1
                || !timeout.isPositive()) {
            throw new IllegalArgumentException("docstream.search: rank constant, candidates, chunks per candidate, "
                    + "parallelism and timeout must be positive");
        }
        if (!(denseLengthPenalty >= 0 && denseLengthPenalty <= 10)) {
            throw new IllegalArgumentException("docstream.search.dense-length-penalty must be between 0 and 10");
        }
        if (!(semanticWeight >= 0 && keywordWeight >= 0 && semanticWeight + keywordWeight > 0)) {
            throw new IllegalArgumentException("docstream.search weights must not be negative and not both zero");
        }
    }
}
