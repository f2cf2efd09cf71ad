package io.docstream.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in the README and the docs reaches a file in the repository and, when it names one, a
 * heading there, with GitHub's anchors; a moved section or a renamed heading fails here instead of on a reader.
 */
class DocumentationLinksTests {

    private static final Pattern LINK = Pattern.compile("\\[[^]]*]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");

    private final Path root = Docs.root();

    @Test
    void relativeLinksReachAFileAndHeading() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path file : markdownFiles()) {
            for (String target : links(file)) {
                String problem = problem(file, target);
                if (problem != null) {
                    broken.add(root.relativize(file) + ": (" + target + ") " + problem);
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void anchorsFollowGitHubsRules() {
        assertThat(anchor("Search quality: `docstream eval`")).isEqualTo("search-quality-docstream-eval");
        assertThat(anchor("Production (Docker Compose)")).isEqualTo("production-docker-compose");
        assertThat(anchor("Tuning decisions — 2026-12-02, second round")).isEqualTo("tuning-decisions--2026-12-02-second-round");
        assertThat(anchor("`docstream.search.*`")).isEqualTo("docstreamsearch");
    }

    private List<Path> markdownFiles() throws IOException {
        List<Path> files = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("compose/README.md"),
                root.resolve("observability/README.md")));
        try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    /** Link targets outside fenced code and inline code; web and mail addresses are not checked. */
    private static List<String> links(Path file) throws IOException {
        List<String> targets = new ArrayList<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher matcher = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
            while (matcher.find()) {
                String target = matcher.group(1);
                if (!target.matches("(?i)(https?|mailto):.*")) {
                    targets.add(target);
                }
            }
        }
        return targets;
    }

    private String problem(Path from, String target) {
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        Path file = path.isEmpty() ? from : from.getParent().resolve(path).normalize();
        if (!file.startsWith(root)) {
            return "leaves the repository";
        }
        if (!Files.exists(file)) {
            return "no such file";
        }
        if (hash < 0) {
            return null;
        }
        if (!file.toString().endsWith(".md")) {
            return "an anchor in a file that is not Markdown";
        }
        String anchor = target.substring(hash + 1);
        return anchors(file).contains(anchor) ? null : "no heading with anchor #" + anchor;
    }

    private static Set<String> anchors(Path file) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.strip().startsWith("```")) {
                    fenced = !fenced;
                }
                Matcher heading = HEADING.matcher(line);
                if (fenced || !heading.matches()) {
                    continue;
                }
                String anchor = anchor(heading.group(1));
                int count = seen.merge(anchor, 1, Integer::sum);
                anchors.add(count == 1 ? anchor : anchor + "-" + (count - 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return anchors;
    }

    /** GitHub's heading anchor: lower case, punctuation other than '-' and '_' dropped, each space a '-'. */
    static String anchor(String heading) {
        String text = heading.replaceAll("\\[([^]]*)]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
        return text.replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
    }
}
