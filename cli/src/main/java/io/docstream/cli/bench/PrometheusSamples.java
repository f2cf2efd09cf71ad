package io.docstream.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of a Prometheus text exposition, queried by metric name and a subset of labels. */
final class PrometheusSamples {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private PrometheusSamples(List<Sample> samples) {
        this.samples = samples;
    }

    static PrometheusSamples parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.find()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            try {
                samples.add(new Sample(sample.group(1), Map.copyOf(labels), Double.parseDouble(sample.group(3))));
            } catch (NumberFormatException e) {
                // a value such as "+Inf" in a form Double does not read; not one this benchmark uses
            }
        }
        return new PrometheusSamples(List.copyOf(samples));
    }

    /** The sum over the samples of {@code name} carrying all of {@code labels}; 0 when there are none. */
    double sum(String name, Map<String, String> labels) {
        return matching(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    /** The first matching sample's value, or NaN. */
    double first(String name, Map<String, String> labels) {
        List<Sample> matching = matching(name, labels);
        return matching.isEmpty() ? Double.NaN : matching.getFirst().value();
    }

    /**
     * A quantile estimated from the growth of a Prometheus histogram between {@code before} and this scrape
     * (linear within the bucket, as PromQL's histogram_quantile), so it covers exactly that interval; NaN
     * without observations.
     */
    double histogramQuantile(PrometheusSamples before, String name, double quantile) {
        // Buckets summed over every other label (tenants, say) first, then the growth since before per bound.
        TreeMap<Double, Double> cumulative = buckets(name);
        before.buckets(name).forEach((bound, earlier) -> cumulative.merge(bound, -earlier, Double::sum));
        if (cumulative.isEmpty() || cumulative.lastEntry().getValue() <= 0) {
            return Double.NaN;
        }
        double rank = quantile * cumulative.lastEntry().getValue();
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound;
                }
                double inBucket = bucket.getValue() - lowerCount;
                return inBucket <= 0 ? bucket.getKey()
                        : lowerBound + (bucket.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return lowerBound;
    }

    /** The cumulative bucket counts of histogram {@code name} by upper bound, summed over its other labels. */
    private TreeMap<Double, Double> buckets(String name) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (Sample sample : matching(name + "_bucket", Map.of())) {
            String le = sample.labels().get("le");
            if (le != null) {
                buckets.merge(bound(le), sample.value(), Double::sum);
            }
        }
        return buckets;
    }

    private static double bound(String le) {
        return switch (le) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            default -> Double.parseDouble(le);
        };
    }

    /** The distinct values of {@code label} among the samples of {@code name}, in exposition order. */
    List<String> labelValues(String name, String label) {
        return matching(name, Map.of()).stream().map(sample -> sample.labels().get(label))
                .filter(java.util.Objects::nonNull).distinct().toList();
    }

    boolean has(String name) {
        return samples.stream().anyMatch(sample -> sample.name().equals(name));
    }

    private List<Sample> matching(String name, Map<String, String> labels) {
        return samples.stream()
                .filter(sample -> sample.name().equals(name))
                .filter(sample -> labels.entrySet().stream()
                        .allMatch(label -> label.getValue().equals(sample.labels().get(label.getKey()))))
                .toList();
    }
}
