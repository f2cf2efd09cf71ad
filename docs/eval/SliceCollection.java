import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Cuts a fixed slice out of a BEIR collection, the same for everyone: the judged queries ordered by the SHA-256
 * of their id, the first {@code --queries} of them, every document judged relevant to one of those, and then
 * documents ordered by the SHA-256 of their id until the slice holds {@code --documents}. Lines are copied as
 * they are; output is gzipped. The build's quality floor runs on such a slice of the man-pages set:
 *
 * <pre>
 * java docs/eval/SliceCollection.java --queries 80 --documents 300 \
 *     ../shared/eval/manpages-sections-2-3 cli/src/test/resources/eval/manpages-quality
 * </pre>
 */
public final class SliceCollection {

    private static final Pattern ID = Pattern.compile("\"_id\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    public static void main(String[] args) throws IOException {
        int queries = 80;
        int documents = 300;
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--queries" -> queries = Integer.parseInt(args[++i]);
                case "--documents" -> documents = Integer.parseInt(args[++i]);
                default -> paths.add(args[i]);
            }
        }
        if (paths.size() != 2) {
            System.err.println("usage: java SliceCollection.java [--queries N] [--documents N] SOURCE_DIR OUT_DIR");
            System.exit(2);
        }
        Path source = Path.of(paths.get(0));
        Path out = Path.of(paths.get(1));

        Map<String, List<String>> relevant = new LinkedHashMap<>();
        for (String row : lines(find(source, "qrels.tsv"))) {
            String[] fields = row.split("\t");
            if (fields.length == 3 && !fields[0].equals("query-id") && Integer.parseInt(fields[2].strip()) > 0) {
                relevant.computeIfAbsent(fields[0], id -> new ArrayList<>()).add(fields[1]);
            }
        }
        Map<String, String> queryLines = byId(lines(find(source, "queries.jsonl")));
        List<String> chosen = queryLines.keySet().stream().filter(relevant::containsKey)
                .sorted(Comparator.comparing(SliceCollection::sha256)).limit(queries).toList();

        Map<String, String> corpusLines = byId(lines(find(source, "corpus.jsonl")));
        Set<String> kept = new LinkedHashSet<>();
        chosen.forEach(query -> kept.addAll(relevant.get(query)));
        corpusLines.keySet().stream().filter(id -> !kept.contains(id)).sorted(Comparator.comparing(SliceCollection::sha256))
                .limit(Math.max(0, documents - kept.size())).forEach(kept::add);

        Files.createDirectories(out);
        write(out.resolve("corpus.jsonl.gz"), corpusLines.entrySet().stream().filter(entry -> kept.contains(entry.getKey()))
                .map(Map.Entry::getValue).toList());
        write(out.resolve("queries.jsonl.gz"), chosen.stream().map(queryLines::get).toList());
        List<String> qrels = new ArrayList<>(List.of("query-id\tcorpus-id\tscore"));
        chosen.forEach(query -> relevant.get(query).forEach(document -> qrels.add(query + "\t" + document + "\t1")));
        write(out.resolve("qrels.tsv.gz"), qrels);
        System.out.printf("%d queries, %d documents -> %s%n", chosen.size(), kept.size(), out);
    }

    private static Map<String, String> byId(List<String> jsonLines) {
        Map<String, String> byId = new LinkedHashMap<>();
        for (String line : jsonLines) {
            Matcher id = ID.matcher(line);
            if (id.find()) {
                byId.put(id.group(1), line);
            }
        }
        return byId;
    }

    private static Path find(Path directory, String name) {
        for (String candidate : List.of(name, name + ".gz")) {
            if (Files.isRegularFile(directory.resolve(candidate))) {
                return directory.resolve(candidate);
            }
        }
        throw new IllegalArgumentException("no " + name + "[.gz] in " + directory);
    }

    private static List<String> lines(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.toString().endsWith(".gz")) {
            in = new GZIPInputStream(in);
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().filter(line -> !line.isBlank()).toList();
        }
    }

    /** Java's gzip header carries no time, so the same input gives the same bytes. */
    private static void write(Path file, List<String> lines) throws IOException {
        try (GZIPOutputStream gzip = new GZIPOutputStream(Files.newOutputStream(file))) {
            for (String line : lines) {
                gzip.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
