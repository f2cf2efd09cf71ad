package io.docstream.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.docstream.platform.tenancy.Scope;
import io.docstream.platform.web.ratelimit.RateLimitProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md's reference part is rendered from the configuration metadata of every module (cli depends
 * on all of them), so a property added, renamed or given another default changes the expected text and fails the
 * build until the doc is regenerated. With {@code -Ddocs.write=true} the test writes the doc instead.
 */
class ConfigurationReferenceTests {

    static final String BEGIN = "<!-- generated: do not edit by hand -->";
    static final String END = "<!-- end of generated -->";
    /** {@code -am} builds the modules whose metadata changed; without it the test reads their installed jars. */
    static final String REGENERATE = "./mvnw -o -pl cli -am test -Dtest=ConfigurationReferenceTests"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Ddocs.write=true";

    private final ConfigurationReference reference = ConfigurationReference.load();

    @Test
    void configurationDocMatchesTheMetadata() throws IOException {
        Path doc = Docs.root().resolve("docs/configuration.md");
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as("%s has the marker %s", doc, BEGIN).isNotNegative();
        assertThat(end).as("%s has the marker %s after %s", doc, END, BEGIN).isGreaterThan(begin);
        String documented = text.substring(begin + BEGIN.length(), end);
        String rendered = reference.render() + "\n";

        if (Boolean.getBoolean("docs.write")) {
            Files.writeString(doc, text.substring(0, begin + BEGIN.length()) + rendered + text.substring(end),
                    StandardCharsets.UTF_8);
            return;
        }
        if (!documented.equals(rendered)) {
            fail("docs/configuration.md does not match the configuration metadata (" + firstDifference(documented, rendered)
                    + "). Regenerate it from the repository root with\n  " + REGENERATE + "\nand commit the doc.");
        }
    }

    @Test
    void everyPropertyIsDescribed() {
        List<String> undescribed = reference.properties().values().stream()
                .filter(property -> property.description() == null || property.description().isBlank())
                .map(ConfigurationReference.Property::name)
                .toList();

        assertThat(undescribed)
                .as("properties without a description: give each an @param in its properties record's Javadoc (or, for a "
                        + "nested record, a line in its module's META-INF/additional-spring-configuration-metadata.json)")
                .isEmpty();
    }

    @Test
    void everyResilienceSettingIsDescribed() {
        assertThat(new TreeSet<>(ConfigurationReference.RESILIENCE_SETTINGS.keySet()))
                .as("CallPolicy's settings and the descriptions in ConfigurationReference.RESILIENCE_SETTINGS")
                .isEqualTo(ConfigurationReference.callPolicySettings());
    }

    /** The rate limits' defaults are computed in code, so the metadata states them by hand; they must agree. */
    @Test
    void additionalMetadataStatesTheRateLimitsOfTheCode() {
        RateLimitProperties defaults = RateLimitProperties.defaults();
        Map<String, ConfigurationReference.Property> properties = reference.properties();
        // Operator requests (tenant administration) are limited with the admin class's numbers.
        assertThat(defaults.limit(Scope.OPERATOR)).isEqualTo(defaults.limit(Scope.ADMIN));
        for (Scope scope : List.of(Scope.INGEST, Scope.SEARCH, Scope.ADMIN)) {
            String prefix = "docstream.web.rate-limit." + scope.name().toLowerCase(Locale.ROOT) + ".";
            RateLimitProperties.Limit limit = defaults.limit(scope);
            assertThat(declaredDefault(properties, prefix + "requests")).isEqualTo(String.valueOf(limit.requests()));
            assertThat(declaredDefault(properties, prefix + "period"))
                    .isEqualTo(ConfigurationReference.format(limit.period()));
            assertThat(declaredDefault(properties, prefix + "burst")).as("burst defaults to requests").isNull();
        }
        assertThat(declaredDefault(properties, "docstream.web.rate-limit.enabled")).isEqualTo(String.valueOf(defaults.enabled()));
        assertThat(declaredDefault(properties, "docstream.web.rate-limit.redis-timeout"))
                .isEqualTo(ConfigurationReference.format(defaults.redisTimeout()));
    }

    @Test
    void serviceConfigFilesSetOnlyDeclaredProperties() {
        List<String> unknown = new ArrayList<>();
        reference.serviceValues().forEach((service, values) -> values.keySet().stream()
                .filter(name -> !reference.knownNames().contains(name.replaceAll("\\[\\d+]$", "")))
                .forEach(name -> unknown.add(service + ".yml: " + name)));

        assertThat(unknown).as("settings no properties class binds (a typo, or a property that was removed)").isEmpty();
    }

    private static String declaredDefault(Map<String, ConfigurationReference.Property> properties, String name) {
        assertThat(properties).as("metadata for %s", name).containsKey(name);
        return properties.get(name).sources().getFirst().defaultValue();
    }

    private static String firstDifference(String documented, String rendered) {
        String[] expected = rendered.split("\n", -1);
        String[] actual = documented.split("\n", -1);
        for (int i = 0; i < Math.max(expected.length, actual.length); i++) {
            String want = i < expected.length ? expected[i] : "(end)";
            String have = i < actual.length ? actual[i] : "(end)";
            if (!want.equals(have)) {
                return "first difference at line " + (i + 1) + " of the generated part:\n  doc:      " + have
                        + "\n  metadata: " + want + "\n";
            }
        }
        return "they differ";
    }
}
