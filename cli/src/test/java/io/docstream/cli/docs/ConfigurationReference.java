package io.docstream.cli.docs;

import io.docstream.platform.resilience.CallPolicy;
import io.docstream.platform.resilience.RemoteCalls;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code docstream.*} properties as the configuration processor describes them in every module's
 * {@code META-INF/spring-configuration-metadata.json} (merged with the hand-written
 * {@code additional-spring-configuration-metadata.json}), the values the services' own config files set over
 * the defaults, and the resilience policies, which are bound per call at run time and so have no metadata.
 * Rendered as Markdown in a fixed order, so the same code always gives the same text.
 */
final class ConfigurationReference {

    static final String METADATA = "META-INF/spring-configuration-metadata.json";
    static final String ADDITIONAL_METADATA = "META-INF/additional-spring-configuration-metadata.json";
    /** The services' config files ({@code spring.config.name}), each in its service's jar. */
    static final List<String> SERVICE_CONFIGS = List.of("ingest", "indexer", "invalidator", "query-api");

    private static final Pattern CODE = Pattern.compile("\\{@(?:code|link|literal) ([^{}]*)}");
    /** What each {@link CallPolicy} setting means; a setting without a line here fails the reference test. */
    static final Map<String, String> RESILIENCE_SETTINGS = resilienceSettings();

    private final Map<String, Property> properties;
    private final Map<String, Map<String, String>> serviceValues;

    private ConfigurationReference(Map<String, Property> properties, Map<String, Map<String, String>> serviceValues) {
        this.properties = properties;
        this.serviceValues = serviceValues;
    }

    /** One property; a name declared by several modules (e.g. each Streams app's state directory) has several sources. */
    record Property(String name, String type, String description, List<Source> sources) {

        Set<String> modules() {
            return sources.stream().map(Source::module).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Where a property is declared, and the default that declaration gives it ({@code null}: none). */
    record Source(String sourceType, String module, String defaultValue) {
    }

    static ConfigurationReference load() {
        Map<String, Property> properties = new TreeMap<>();
        Set<String> ignored = new TreeSet<>();
        List<JsonNode> entries = new ArrayList<>();
        // Generated files first: an additional entry then refines a generated one, as the processor merges them.
        for (String location : List.of(METADATA, ADDITIONAL_METADATA)) {
            for (JsonNode metadata : readAll(location)) {
                metadata.path("properties").forEach(entries::add);
                metadata.path("ignored").path("properties").forEach(entry -> ignored.add(entry.path("name").asString()));
            }
        }
        for (JsonNode entry : entries) {
            String name = entry.path("name").asString();
            if (!name.startsWith("docstream.") || ignored.contains(name)) {
                continue;
            }
            properties.put(name, merge(properties.get(name), entry));
        }
        Map<String, Map<String, String>> serviceValues = new LinkedHashMap<>();
        for (String service : SERVICE_CONFIGS) {
            serviceValues.put(service, docstreamValues(service + ".yml"));
        }
        return new ConfigurationReference(properties, serviceValues);
    }

    Map<String, Property> properties() {
        return properties;
    }

    /** Per service config file, the {@code docstream.*} values it sets. */
    Map<String, Map<String, String>> serviceValues() {
        return serviceValues;
    }

    /** Every name the services may be given: the metadata's and each resilience call's settings. */
    Set<String> knownNames() {
        Set<String> names = new TreeSet<>(properties.keySet());
        for (String call : resilienceCalls()) {
            RESILIENCE_SETTINGS.keySet().forEach(setting -> names.add("docstream.resilience." + call + "." + setting));
        }
        return names;
    }

    String render() {
        StringBuilder out = new StringBuilder();
        Map<String, List<Property>> groups = properties.values().stream()
                .collect(Collectors.groupingBy(property -> group(property.name()), TreeMap::new, Collectors.toList()));
        groups.put("docstream.resilience", List.of());
        groups.forEach((group, members) -> {
            out.append("\n### `").append(group.equals("docstream.resilience") ? group + ".<call>" : group).append(".*`\n\n");
            if (group.equals("docstream.resilience")) {
                renderResilience(out);
                return;
            }
            out.append("| property | type | default | description | module |\n|---|---|---|---|---|\n");
            for (Property property : members) {
                out.append("| `").append(property.name()).append("` | ")
                        .append(type(property.type())).append(" | ")
                        .append(defaults(property)).append(" | ")
                        .append(cell(property.description())).append(" | ")
                        .append(String.join(", ", property.modules())).append(" |\n");
            }
        });
        return out.toString();
    }

    /** One row per setting, one column per call, the defaults read from the code ({@link RemoteCalls#defaults}). */
    private static void renderResilience(StringBuilder out) {
        List<String> calls = resilienceCalls();
        out.append("Declared in platform, bound per call at start over the call's own defaults (no IDE metadata). ")
                .append("Calls: ").append(calls.stream().map(call -> "`" + call + "`").collect(Collectors.joining(", ")))
                .append(".\n\n| setting | ")
                .append(calls.stream().map(call -> "`" + call + "`").collect(Collectors.joining(" | ")))
                .append(" | description |\n|---|").append("---|".repeat(calls.size())).append("---|\n");
        RESILIENCE_SETTINGS.forEach((setting, description) -> {
            out.append("| `").append(setting).append("` | ");
            for (String call : calls) {
                out.append('`').append(format(policyValue(RemoteCalls.defaults(call), setting))).append("` | ");
            }
            out.append(cell(description)).append(" |\n");
        });
    }

    /** The names of the guarded calls: {@link RemoteCalls}' public constants, sorted. */
    static List<String> resilienceCalls() {
        List<String> calls = new ArrayList<>();
        for (Field field : RemoteCalls.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    calls.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        calls.sort(null);
        return calls;
    }

    /** The settings {@link CallPolicy} binds, in kebab case. */
    static Set<String> callPolicySettings() {
        return Arrays.stream(BeanUtils.getPropertyDescriptors(CallPolicy.class))
                .filter(descriptor -> descriptor.getWriteMethod() != null)
                .map(descriptor -> kebab(descriptor.getName()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Object policyValue(CallPolicy policy, String setting) {
        PropertyDescriptor descriptor = Arrays.stream(BeanUtils.getPropertyDescriptors(CallPolicy.class))
                .filter(candidate -> kebab(candidate.getName()).equals(setting))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("CallPolicy has no setting " + setting));
        try {
            return descriptor.getReadMethod().invoke(policy);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Property merge(Property known, JsonNode entry) {
        String type = text(entry, "type");
        String description = text(entry, "description");
        String sourceType = text(entry, "sourceType");
        String defaultValue = defaultValue(entry.path("defaultValue"));
        if (known == null) {
            return new Property(entry.path("name").asString(), type, description,
                    List.of(new Source(sourceType, module(sourceType), defaultValue)));
        }
        List<Source> sources = new ArrayList<>(known.sources());
        // An entry without a source type refines the one declaration of its name, or only the description.
        int index = sourceType == null ? (sources.size() == 1 ? 0 : -2) : indexOf(sources, sourceType);
        if (index == -1) {
            sources.add(new Source(sourceType, module(sourceType), defaultValue));
        } else if (index >= 0 && defaultValue != null) {
            Source source = sources.get(index);
            sources.set(index, new Source(source.sourceType(), source.module(), defaultValue));
        }
        return new Property(known.name(), type == null ? known.type() : type,
                description == null ? known.description() : description, List.copyOf(sources));
    }

    private static int indexOf(List<Source> sources, String sourceType) {
        for (int i = 0; i < sources.size(); i++) {
            if (sourceType.equals(sources.get(i).sourceType())) {
                return i;
            }
        }
        return -1;
    }

    /** {@code io.docstream.query.cache.CacheProperties} → {@code query-api}: the module is the package's second name. */
    static String module(String sourceType) {
        if (sourceType == null || !sourceType.startsWith("io.docstream.")) {
            throw new IllegalStateException("a docstream property's sourceType must be an io.docstream class: " + sourceType);
        }
        String name = sourceType.substring("io.docstream.".length()).split("\\.")[0];
        return name.equals("query") ? "query-api" : name;
    }

    private static String group(String name) {
        String[] parts = name.split("\\.");
        return parts[0] + "." + parts[1];
    }

    private String defaults(Property property) {
        List<String> parts = new ArrayList<>();
        Set<String> declared = property.sources().stream().map(Source::defaultValue)
                .map(ConfigurationReference::literal).collect(Collectors.toCollection(LinkedHashSet::new));
        if (declared.size() == 1) {
            parts.add(declared.iterator().next());
        } else {
            property.sources().stream()
                    .sorted(Comparator.comparing(Source::module))
                    .forEach(source -> parts.add(literal(source.defaultValue()) + " (" + source.module() + ")"));
        }
        List<String> set = new ArrayList<>();
        serviceValues.forEach((service, values) -> {
            String value = values.get(property.name());
            boolean sameAsDeclared = property.sources().stream().anyMatch(source -> value != null
                    && value.equals(source.defaultValue()));
            if (value != null && !sameAsDeclared) {
                set.add(service + ".yml: " + literal(value));
            }
        });
        String text = String.join("; ", parts);
        return set.isEmpty() ? text : text + "; " + String.join(", ", set);
    }

    private static String literal(String value) {
        if (value == null) {
            return "–";
        }
        return value.isEmpty() ? "empty" : "`" + value.replace("|", "\\|") + "`";
    }

    private static String type(String type) {
        if (type == null) {
            return "–";
        }
        String simple = switch (type) {
            case "java.lang.String" -> "string";
            case "java.lang.Integer", "java.lang.Long", "java.lang.Short" -> "integer";
            case "java.lang.Double", "java.lang.Float" -> "number";
            case "java.lang.Boolean" -> "boolean";
            case "java.time.Duration" -> "duration";
            case "org.springframework.util.unit.DataSize" -> "data size";
            case "java.nio.file.Path" -> "path";
            case "java.net.URI" -> "URI";
            case "java.util.List<java.lang.String>" -> "list of strings";
            default -> null;
        };
        if (simple != null) {
            return simple;
        }
        Class<?> enumType = enumType(type);
        if (enumType == null) {
            return "`" + type.substring(type.lastIndexOf('.') + 1) + "`";
        }
        return Arrays.stream(enumType.getEnumConstants())
                .map(constant -> "`" + ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-') + "`")
                .collect(Collectors.joining(" or "));
    }

    private static Class<?> enumType(String type) {
        try {
            Class<?> candidate = Class.forName(type, false, ConfigurationReference.class.getClassLoader());
            return candidate.isEnum() ? candidate : null;
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /** A Markdown table cell: Javadoc's inline tags as code, pipes escaped, on one line. */
    static String cell(String text) {
        if (text == null || text.isBlank()) {
            return "–";
        }
        Matcher matcher = CODE.matcher(text.replace("|", "\\|"));
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement("`" + matcher.group(1) + "`"));
        }
        matcher.appendTail(out);
        return out.toString().replaceAll("\\s+", " ").strip();
    }

    /** A duration as Spring writes it in config files ({@code 500ms}, {@code 2s}, {@code 1m}); other values as they are. */
    static String format(Object value) {
        if (!(value instanceof Duration duration)) {
            return String.valueOf(value);
        }
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1_000 == 0 ? millis / 1_000 + "s" : millis + "ms";
    }

    private static String defaultValue(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isArray()) {
            List<String> values = new ArrayList<>();
            node.forEach(value -> values.add(value.isString() ? value.asString() : value.toString()));
            return String.join(",", values);
        }
        return node.isString() ? node.asString() : node.toString();
    }

    private static String text(JsonNode entry, String field) {
        JsonNode value = entry.path(field);
        return value.isString() ? value.asString() : null;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static List<JsonNode> readAll(String location) {
        JsonMapper mapper = JsonMapper.builder().build();
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver().getResources("classpath*:" + location);
            // The class path's order differs between a reactor build and a single module's; the text must not.
            Arrays.sort(resources, Comparator.comparing(resource -> {
                try {
                    return resource.getURL().toString();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
            List<JsonNode> documents = new ArrayList<>();
            for (Resource resource : resources) {
                try (InputStream in = resource.getInputStream()) {
                    documents.add(mapper.readTree(in));
                }
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> docstreamValues(String configFile) {
        ClassPathResource resource = new ClassPathResource(configFile);
        if (!resource.exists()) {
            throw new IllegalStateException(configFile + " is not on the class path: is its service a dependency of cli?");
        }
        try {
            Map<String, String> values = new TreeMap<>();
            for (PropertySource<?> source : new YamlPropertySourceLoader().load(configFile, resource)) {
                EnumerablePropertySource<?> enumerable = (EnumerablePropertySource<?>) source;
                Stream.of(enumerable.getPropertyNames())
                        .filter(name -> name.startsWith("docstream."))
                        .forEach(name -> values.put(name, String.valueOf(enumerable.getProperty(name))));
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> resilienceSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("timeout", "the longest one call may take: the Hikari connection timeout (postgres), the wait for "
                + "Kafka's acknowledgement before a 503 (kafka-producer), the index read and the indexer's index write "
                + "(search-index), the HTTP embedder's request timeout (embedder); an audit event's wait is "
                + "`docstream.audit.publish-timeout` (audit-producer); a call slower than it counts against the "
                + "breaker");
        settings.put("max-concurrent", "the bulkhead: calls under way at once");
        settings.put("max-wait", "how long a call waits for a bulkhead slot before it is refused");
        settings.put("failure-rate-threshold", "the breaker opens when this percentage of the last `sliding-window` "
                + "calls (at least `minimum-calls`) failed or were slow");
        settings.put("sliding-window", "how many of the last calls the breaker judges");
        settings.put("minimum-calls", "fewest calls in the window before the breaker may open");
        settings.put("open-for", "how long an open breaker refuses calls");
        settings.put("half-open-calls", "how many trial calls then decide whether it closes");
        settings.put("max-attempts", "tries of an idempotent call (getting a PostgreSQL connection, an index read, an "
                + "embedding); 1 is no retry");
        settings.put("backoff", "the first pause between tries; pauses double and are drawn within ±50 %");
        return settings;
    }
}
