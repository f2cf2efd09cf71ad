import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Builds a BEIR-format known-item retrieval collection of short documents from the class documentation in a
 * JDK's {@code src.zip}: one document per documented public top-level type of the public API ({@code java.*},
 * {@code javax.*}) of a fixed set of modules; the query is the first sentence of the type's javadoc, the
 * document is the rest of its main description.
 *
 * <pre>
 *   java docs/eval/JdkJavadocCollection.java [--src PATH/src.zip] [--queries N] OUT_DIR
 * </pre>
 *
 * Writes {@code OUT_DIR/corpus.jsonl.gz}, {@code OUT_DIR/queries.jsonl.gz} and {@code OUT_DIR/qrels.tsv.gz}.
 * The output depends only on the contents of src.zip (and the JDK's deflate implementation): documents are
 * sorted by id, the query sample is chosen by the SHA-256 of the type names, and the gzip files are written with
 * a fixed header (MTIME 0, no file name, OS 255) by {@link #gzip(byte[])}.
 *
 * Single-file source program, JDK only, Java 17 compatible.
 */
public class JdkJavadocCollection {

    static final Set<String> MODULES = Set.of("java.base", "java.sql", "java.net.http", "java.logging",
            "java.xml", "java.desktop", "java.management", "java.naming", "java.prefs", "java.scripting",
            "java.compiler", "java.instrument", "java.rmi", "java.datatransfer");

    static final int MIN_DOCUMENT_WORDS = 15;
    static final int MIN_QUERY_WORDS = 4;

    record Doc(String id, String title, String query, String text, int words) {
    }

    /** Why files were not turned into documents, for the summary. */
    static final Map<String, Integer> SKIPPED = new TreeMap<>();

    static void skip(String reason) {
        SKIPPED.merge(reason, 1, Integer::sum);
    }

    public static void main(String[] args) throws Exception {
        Path src = Paths.get(System.getProperty("java.home"), "lib", "src.zip");
        int queryCount = 400;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--src") && i + 1 < args.length) {
                src = Paths.get(args[++i]);
            } else if (arg.startsWith("--src=")) {
                src = Paths.get(arg.substring(6));
            } else if (arg.equals("--queries") && i + 1 < args.length) {
                queryCount = Integer.parseInt(args[++i]);
            } else if (arg.startsWith("--queries=")) {
                queryCount = Integer.parseInt(arg.substring(10));
            } else if (arg.startsWith("-") || out != null) {
                usage("unexpected argument: " + arg);
            } else {
                out = Paths.get(arg);
            }
        }
        if (out == null) {
            usage("OUT_DIR is missing");
        }
        if (!Files.isRegularFile(src)) {
            usage("no such file: " + src);
        }

        // 1. Parse every file of the selected modules' public API packages.
        TreeMap<String, Doc> docs = new TreeMap<>();
        try (ZipFile zip = new ZipFile(src.toFile(), StandardCharsets.UTF_8)) {
            List<ZipEntry> entries = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                entries.add(entry);
                int slash = entry.getName().indexOf('/');
                if (slash > 0 && entry.getName().endsWith(".java")) { // every module: {@value} may point anywhere
                    String typeName = entry.getName().substring(slash + 1, entry.getName().length() - 5);
                    SOURCES.putIfAbsent(typeName.replace('/', '.'), entry);
                }
            }
            ZIP = zip;
            for (ZipEntry entry : entries) {
                String name = entry.getName();
                int slash = name.indexOf('/');
                if (entry.isDirectory() || slash < 0 || !name.endsWith(".java")
                        || !MODULES.contains(name.substring(0, slash))) {
                    continue;
                }
                String path = name.substring(slash + 1); // java/util/HashMap.java
                if (!(path.startsWith("java/") || path.startsWith("javax/"))) {
                    continue;
                }
                int lastSlash = path.lastIndexOf('/');
                String simpleName = path.substring(lastSlash + 1, path.length() - ".java".length());
                if (simpleName.equals("package-info") || simpleName.equals("module-info")) {
                    continue;
                }
                String id = path.substring(0, lastSlash).replace('/', '.') + "." + simpleName;
                String source;
                try (InputStream in = zip.getInputStream(entry)) {
                    source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                Doc doc = document(id, simpleName, source);
                CURRENT_SOURCE = null;
                if (doc != null) {
                    if (docs.put(id, doc) != null) {
                        throw new IllegalStateException("duplicate type " + id);
                    }
                }
            }
        }

        // 2. Queries: types whose first sentence has enough words and is not shared with another document.
        Map<String, Integer> sentenceUse = new HashMap<>();
        for (Doc doc : docs.values()) {
            sentenceUse.merge(normalise(doc.query()), 1, Integer::sum);
        }
        List<Doc> eligible = new ArrayList<>();
        int shortQueries = 0;
        int sharedQueries = 0;
        for (Doc doc : docs.values()) {
            if (words(doc.query()) < MIN_QUERY_WORDS) {
                shortQueries++;
            } else if (sentenceUse.get(normalise(doc.query())) > 1) {
                sharedQueries++;
            } else {
                eligible.add(doc);
            }
        }
        Map<String, String> hashes = new HashMap<>();
        for (Doc doc : eligible) {
            hashes.put(doc.id(), sha256(doc.id()));
        }
        eligible.sort((a, b) -> {
            int c = hashes.get(a.id()).compareTo(hashes.get(b.id()));
            return c != 0 ? c : a.id().compareTo(b.id());
        });
        List<Doc> sample = eligible.subList(0, Math.min(queryCount, eligible.size()));
        if (sample.size() < queryCount) {
            System.err.println("warning: only " + sample.size() + " query-eligible types, fewer than " + queryCount);
        }

        // 3. Write the three files.
        Files.createDirectories(out);
        StringBuilder corpus = new StringBuilder();
        for (Doc doc : docs.values()) {
            corpus.append("{\"_id\": ").append(json(doc.id())).append(", \"title\": ").append(json(doc.title()))
                    .append(", \"text\": ").append(json(doc.text())).append("}\n");
        }
        StringBuilder queries = new StringBuilder();
        StringBuilder qrels = new StringBuilder("query-id\tcorpus-id\tscore\n");
        for (int i = 0; i < sample.size(); i++) {
            Doc doc = sample.get(i);
            queries.append("{\"_id\": ").append(json("q" + i)).append(", \"text\": ").append(json(doc.query()))
                    .append("}\n");
            qrels.append("q").append(i).append('\t').append(doc.id()).append("\t1\n");
        }
        Files.write(out.resolve("corpus.jsonl.gz"), gzip(corpus.toString().getBytes(StandardCharsets.UTF_8)));
        Files.write(out.resolve("queries.jsonl.gz"), gzip(queries.toString().getBytes(StandardCharsets.UTF_8)));
        Files.write(out.resolve("qrels.tsv.gz"), gzip(qrels.toString().getBytes(StandardCharsets.UTF_8)));

        // 4. Summary.
        List<Integer> lengths = new ArrayList<>();
        long total = 0;
        for (Doc doc : docs.values()) {
            lengths.add(doc.words());
            total += doc.words();
        }
        Collections.sort(lengths);
        System.out.println("source:     " + src.toAbsolutePath() + " (JAVA_VERSION " + javaVersion(src) + ")");
        System.out.println("skipped:    " + SKIPPED);
        System.out.println("documents:  " + docs.size());
        System.out.println("queries:    " + sample.size() + " of " + eligible.size() + " eligible ("
                + shortQueries + " first sentences under " + MIN_QUERY_WORDS + " words, " + sharedQueries
                + " shared with another type)");
        if (!lengths.isEmpty()) {
            System.out.printf(Locale.ROOT, "words/doc:  median %s, mean %.1f, p10 %d, p90 %d, min %d, max %d%n",
                    median(lengths), (double) total / lengths.size(), percentile(lengths, 10),
                    percentile(lengths, 90), lengths.get(0), lengths.get(lengths.size() - 1));
        }
        for (int i = 0; i < Math.min(3, sample.size()); i++) {
            System.out.println("example:    q" + i + " \"" + sample.get(i).query() + "\" -> " + sample.get(i).id());
        }
        System.out.println("written:    " + out.toAbsolutePath() + "/{corpus.jsonl.gz,queries.jsonl.gz,qrels.tsv.gz}");
    }

    static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: java JdkJavadocCollection.java [--src PATH/src.zip] [--queries N] OUT_DIR");
        System.exit(2);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Finding the top-level type and its doc comment

    /** The document for one source file, or null (with the reason counted) when it has none. */
    static Doc document(String id, String simpleName, String source) {
        CURRENT_ID = id;
        CURRENT_SOURCE = source;
        TypeDecl type = findType(source, simpleName);
        if (type == null) {
            skip("no top-level type named after the file");
            return null;
        }
        if (!type.modifiers().contains("public")) {
            skip("not public");
            return null;
        }
        if (type.docComment() == null) {
            skip("no doc comment");
            return null;
        }
        List<String> lines = commentLines(type.docComment());
        if (type.annotations().contains("Deprecated") || isDeprecated(lines)) {
            skip("deprecated");
            return null;
        }
        List<String> paragraphs = paragraphs(mainDescription(lines));
        if (paragraphs.isEmpty()) {
            skip("empty main description");
            return null;
        }
        // First sentence: up to and including the first period followed by whitespace or the end of the first
        // paragraph; the whole first paragraph when there is none.
        String first = paragraphs.get(0);
        String query = first;
        String rest = "";
        for (int i = 0; i < first.length(); i++) {
            if (first.charAt(i) == '.' && (i + 1 == first.length() || Character.isWhitespace(first.charAt(i + 1)))) {
                query = first.substring(0, i);
                rest = first.substring(i + 1).strip();
                break;
            }
        }
        List<String> textParagraphs = new ArrayList<>();
        if (!rest.isEmpty()) {
            textParagraphs.add(rest);
        }
        textParagraphs.addAll(paragraphs.subList(1, paragraphs.size()));
        String text = String.join("\n\n", textParagraphs);
        int words = words(text);
        if (words < MIN_DOCUMENT_WORDS) {
            skip("text under " + MIN_DOCUMENT_WORDS + " words");
            return null;
        }
        return new Doc(id, simpleName, query.strip(), text, words);
    }

    record TypeDecl(String docComment, Set<String> modifiers, Set<String> annotations) {
    }

    static final Set<String> MODIFIERS = Set.of("public", "protected", "private", "abstract", "final", "sealed",
            "non-sealed", "static", "strictfp");

    static final Set<String> TYPE_KEYWORDS = Set.of("class", "interface", "enum", "record", "@interface");

    /**
     * Walks the tokens at brace depth 0 and returns the declaration of the top-level type {@code name}, with the
     * doc comment that directly precedes it (only modifiers and annotations may stand between; any other token
     * forgets the comment).
     */
    static TypeDecl findType(String source, String name) {
        List<Token> tokens = tokenize(source);
        int depth = 0;
        String doc = null;
        Set<String> modifiers = new java.util.HashSet<>();
        Set<String> annotations = new java.util.HashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (depth > 0) {
                if (t.is("{")) {
                    depth++;
                } else if (t.is("}")) {
                    depth--;
                }
                continue;
            }
            if (t.kind() == Kind.DOC) {
                doc = t.text();
                modifiers.clear();
                annotations.clear();
                continue;
            }
            if (t.is("@") && i + 1 < tokens.size() && tokens.get(i + 1).is("interface")) {
                t = new Token(Kind.IDENT, "@interface");
                i++;
            } else if (t.is("@") && i + 1 < tokens.size() && tokens.get(i + 1).kind() == Kind.IDENT) {
                // Annotation: qualified name, then optional balanced arguments.
                String simple = tokens.get(++i).text();
                while (i + 2 < tokens.size() && tokens.get(i + 1).is(".")
                        && tokens.get(i + 2).kind() == Kind.IDENT) {
                    simple = tokens.get(i + 2).text();
                    i += 2;
                }
                annotations.add(simple);
                if (i + 1 < tokens.size() && tokens.get(i + 1).is("(")) {
                    int parens = 0;
                    do {
                        i++;
                        if (tokens.get(i).is("(")) {
                            parens++;
                        } else if (tokens.get(i).is(")")) {
                            parens--;
                        }
                    } while (parens > 0 && i + 1 < tokens.size());
                }
                continue;
            }
            if (t.is("non") && i + 2 < tokens.size() && tokens.get(i + 1).is("-") && tokens.get(i + 2).is("sealed")) {
                modifiers.add("non-sealed");
                i += 2;
                continue;
            }
            if (t.kind() == Kind.IDENT && MODIFIERS.contains(t.text())) {
                modifiers.add(t.text());
                continue;
            }
            if (t.kind() == Kind.IDENT && TYPE_KEYWORDS.contains(t.text()) && i + 1 < tokens.size()
                    && tokens.get(i + 1).kind() == Kind.IDENT) {
                if (tokens.get(i + 1).text().equals(name)) {
                    return new TypeDecl(doc, Set.copyOf(modifiers), Set.copyOf(annotations));
                }
            }
            // Anything else (package, import, another type's header, ';') separates a comment from a declaration.
            doc = null;
            modifiers.clear();
            annotations.clear();
            if (t.is("{")) {
                depth++;
            }
        }
        return null;
    }

    enum Kind { IDENT, SYMBOL, LITERAL, DOC }

    record Token(Kind kind, String text) {
        boolean is(String s) {
            return (kind == Kind.IDENT || kind == Kind.SYMBOL) && text.equals(s);
        }
    }

    /** A minimal Java lexer: identifiers, single-character symbols, literals (skipped) and doc comments. */
    static List<Token> tokenize(String s) {
        List<Token> tokens = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (s.startsWith("//", i)) {
                int end = s.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                int stop = end < 0 ? n : end;
                if (s.startsWith("/**", i) && i + 3 <= stop) {
                    tokens.add(new Token(Kind.DOC, s.substring(i + 3, stop)));
                }
                i = end < 0 ? n : end + 2;
            } else if (s.startsWith("\"\"\"", i)) {
                i += 3;
                while (i < n && !s.startsWith("\"\"\"", i)) {
                    i += s.charAt(i) == '\\' ? 2 : 1;
                }
                i += 3;
                tokens.add(new Token(Kind.LITERAL, "\"\"\""));
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < n && s.charAt(i) != c && s.charAt(i) != '\n') {
                    i += s.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                tokens.add(new Token(Kind.LITERAL, String.valueOf(c)));
            } else if (Character.isJavaIdentifierStart(c)) {
                int start = i;
                while (i < n && Character.isJavaIdentifierPart(s.charAt(i))) {
                    i++;
                }
                tokens.add(new Token(Kind.IDENT, s.substring(start, i)));
            } else if (Character.isDigit(c)) {
                while (i < n && (Character.isJavaIdentifierPart(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
                tokens.add(new Token(Kind.LITERAL, "0"));
            } else {
                tokens.add(new Token(Kind.SYMBOL, String.valueOf(c)));
                i++;
            }
        }
        return tokens;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Doc comment to plain text

    static final Pattern LEADING_STARS = Pattern.compile("^[ \\t]*\\*+");
    static final Pattern BLOCK_TAG = Pattern.compile("^\\s*@[a-zA-Z]");
    static final Pattern DEPRECATED_TAG = Pattern.compile("^\\s*@deprecated\\b");
    static final Pattern PRE_START = Pattern.compile("<pre\\b", Pattern.CASE_INSENSITIVE);
    static final Pattern PRE_END = Pattern.compile("</pre\\b", Pattern.CASE_INSENSITIVE);

    /** The comment's lines (between the delimiters), unicode escapes translated, leading asterisks removed. */
    static List<String> commentLines(String comment) {
        List<String> lines = new ArrayList<>();
        for (String line : unicodeEscapes(comment).split("\r\n|\r|\n", -1)) {
            lines.add(LEADING_STARS.matcher(line).replaceFirst(""));
        }
        return lines;
    }

    static boolean isDeprecated(List<String> lines) {
        for (String line : lines) {
            if (DEPRECATED_TAG.matcher(line).find()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The main description: the lines before the first one that starts with a block tag. A line starting with
     * '@' inside an inline tag ({@code {@snippet ...}}, {@code {@code ...}}) or a {@code <pre>} block is not a
     * block tag.
     */
    static String mainDescription(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        int braces = 0;
        boolean pre = false;
        for (String line : lines) {
            if (braces == 0 && !pre && BLOCK_TAG.matcher(line).find()) {
                break;
            }
            sb.append(line).append('\n');
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '{' && (braces > 0 || line.startsWith("{@", i))) {
                    braces++;
                } else if (c == '}' && braces > 0) {
                    braces--;
                } else if (c == '<' && braces == 0) {
                    if (PRE_START.matcher(line).region(i, line.length()).lookingAt()) {
                        pre = true;
                    } else if (PRE_END.matcher(line).region(i, line.length()).lookingAt()) {
                        pre = false;
                    }
                }
            }
        }
        return sb.toString();
    }

    /** Translates Java unicode escapes (backslash, one or more 'u', four hex digits; the backslash not escaped). */
    static String unicodeEscapes(String s) {
        if (s.indexOf("\\u") < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                int backslashes = 0;
                while (i + backslashes < s.length() && s.charAt(i + backslashes) == '\\') {
                    backslashes++;
                }
                // Pairs of backslashes are literal; an odd last one may start an escape.
                sb.append(s, i, i + backslashes - 1);
                i += backslashes - 1;
                if (backslashes % 2 == 1 && i + 1 < s.length() && s.charAt(i + 1) == 'u') {
                    int j = i + 1;
                    while (j < s.length() && s.charAt(j) == 'u') {
                        j++;
                    }
                    if (j + 4 <= s.length() && s.substring(j, j + 4).matches("[0-9a-fA-F]{4}")) {
                        sb.append((char) Integer.parseInt(s.substring(j, j + 4), 16));
                        i = j + 4;
                        continue;
                    }
                }
                sb.append('\\');
                i++;
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }

    static final Pattern HTML_COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
    static final Pattern PRE_BLOCK = Pattern.compile("<pre\\b[^>]*>.*?</pre\\s*>",
            Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    /** The innermost table (no other table start inside), so that nested tables go from the inside out. */
    static final Pattern TABLE_BLOCK = Pattern.compile("<table\\b[^>]*>(?:(?!<table\\b).)*?</table\\s*>",
            Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    static final Pattern BREAK_TAG = Pattern.compile(
            "</?(?:p|li|br|dt|dd|dl|h[1-6]|ul|ol|div|blockquote|hr|table|tr|caption|center|section)\\b[^>]*>",
            Pattern.CASE_INSENSITIVE);
    static final Pattern OTHER_TAG = Pattern.compile(
            "</?(?:a|b|i|u|s|em|strong|code|tt|var|cite|sup|sub|span|font|img|small|big|kbd|samp|dfn|abbr"
                    + "|strike|q|ins|del|th|td|thead|tbody|tfoot|col|colgroup|caption|nobr|mark|wbr|main|nav"
                    + "|header|footer|article|aside|figure|figcaption|details|summary)\\b[^>]*>",
            Pattern.CASE_INSENSITIVE);
    static final Pattern WHITESPACE = Pattern.compile("[\\s\\u00a0\\u2000-\\u200b\\u202f\\u3000]+");

    /** The main description as paragraphs of plain text, whitespace collapsed. */
    static List<String> paragraphs(String description) {
        String s = removeSnippets(description);
        s = HTML_COMMENT.matcher(s).replaceAll(" ");
        s = PRE_BLOCK.matcher(s).replaceAll("<p>");
        for (String before = null; !s.equals(before);) {
            before = s;
            s = TABLE_BLOCK.matcher(s).replaceAll("<p>");
        }
        s = inlineTags(s);
        s = WHITESPACE.matcher(s).replaceAll(" ");
        s = BREAK_TAG.matcher(s).replaceAll("\n\n");
        s = OTHER_TAG.matcher(s).replaceAll("");
        List<String> paragraphs = new ArrayList<>();
        for (String p : s.split("\n\n")) {
            p = WHITESPACE.matcher(entities(p)).replaceAll(" ").strip();
            if (!p.isEmpty()) {
                paragraphs.add(p);
            }
        }
        return paragraphs;
    }

    /** Index of the '}' closing the inline tag that starts at {@code open} ("{@"), or -1. */
    static int closingBrace(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    static String removeSnippets(String s) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (true) {
            int start = s.indexOf("{@snippet", i);
            if (start < 0) {
                break;
            }
            int end = closingBrace(s, start);
            if (end < 0) {
                break;
            }
            sb.append(s, i, start).append("<p>");
            i = end + 1;
        }
        return sb.append(s, i, s.length()).toString();
    }

    static final Pattern TAG_NAME = Pattern.compile("\\{@([a-zA-Z][a-zA-Z0-9.-]*)");

    /**
     * Replaces inline tags by their text. Text taken literally from a tag ({@code {@code}}, {@code {@literal}},
     * references) is HTML-escaped so that the later tag removal leaves it alone and entity decoding restores it.
     */
    static String inlineTags(String s) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        Matcher m = TAG_NAME.matcher(s);
        while (m.find(i)) {
            int start = m.start();
            int end = closingBrace(s, start);
            if (end < 0) {
                break;
            }
            sb.append(s, i, start);
            String tag = m.group(1);
            String body = s.substring(m.end(), end).strip();
            sb.append(inlineTag(tag, body));
            i = end + 1;
        }
        return sb.append(s, i, s.length()).toString();
    }

    static String inlineTag(String tag, String body) {
        switch (tag) {
            case "code":
            case "literal":
            case "systemProperty":
                return escapeHtml(body);
            case "link":
            case "linkplain": {
                String[] refAndLabel = referenceAndLabel(body);
                return refAndLabel[1].isEmpty() ? escapeHtml(reference(refAndLabel[0])) : inlineTags(refAndLabel[1]);
            }
            case "index": {
                String term;
                if (body.startsWith("\"")) {
                    int close = body.indexOf('"', 1);
                    term = close < 0 ? body.substring(1) : body.substring(1, close);
                } else {
                    term = body.split("\\s+", 2)[0];
                }
                return escapeHtml(term);
            }
            case "value": {
                // The constant's value, read from its initializer when that is a literal; else the reference as
                // text. Nothing for a bare {@value} (it means the documented field itself: not in a type's doc).
                String format = null;
                Matcher f = Pattern.compile("^(\"[^\"]*\"|%\\S*)\\s+").matcher(body);
                if (f.find()) {
                    format = f.group(1).replace("\"", "");
                    body = body.substring(f.end());
                }
                if (body.isEmpty()) {
                    return "";
                }
                String value = constantValue(body, format);
                return escapeHtml(value != null ? value : reference(body));
            }
            case "jls":
            case "jvms": { // {@jls 8.1.2 Label}: the source says "JLS {@jls 8.1.2}", javadoc shows the number
                String[] parts = body.split("\\s+", 2);
                return parts.length > 1 ? inlineTags(parts[1]) : parts[0];
            }
            case "extLink": {
                String[] parts = body.split("\\s+", 2);
                return parts.length > 1 ? inlineTags(parts[1]) : "";
            }
            case "return":
                return "Returns " + inlineTags(body) + ".";
            case "inheritDoc":
            case "docRoot":
            case "snippet":
                return "";
            default: // {@summary ...} and unknown tags: their content
                return inlineTags(body);
        }
    }

    static ZipFile ZIP;
    /** Type name (a.b.C) to its source in the zip, every module. */
    static final Map<String, ZipEntry> SOURCES = new HashMap<>();
    static String CURRENT_ID;
    static String CURRENT_SOURCE;

    static final Pattern LITERAL = Pattern.compile("\\s*=\\s*(-?(?:0[xX][0-9a-fA-F_]+|[0-9][0-9_]*(?:\\.[0-9_]+)?"
            + "(?:[eE][-+]?[0-9]+)?)[lLfFdD]?|\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)+'|true|false)\\s*;");

    /**
     * The value of the constant {@code Class#FIELD} (or {@code #FIELD} in the current type) when its initializer
     * is a literal, as javadoc shows it (strings quoted), formatted with {@code format} when there is one; or null.
     * The class is looked up as written, then in the current file's imports, its package and java.lang.
     */
    static String constantValue(String ref, String format) {
        int hash = ref.indexOf('#');
        if (hash < 0) {
            return null;
        }
        String cls = ref.substring(0, hash);
        String field = ref.substring(hash + 1);
        List<String> candidates = new ArrayList<>();
        if (cls.isEmpty()) {
            candidates.add(CURRENT_ID);
        } else {
            Matcher imp = Pattern.compile("(?m)^import\\s+([\\w.]+\\." + Pattern.quote(cls) + ")\\s*;")
                    .matcher(CURRENT_SOURCE);
            if (imp.find()) {
                candidates.add(imp.group(1));
            }
            candidates.add(cls);
            candidates.add(CURRENT_ID.substring(0, CURRENT_ID.lastIndexOf('.') + 1) + cls);
            candidates.add("java.lang." + cls);
        }
        for (String candidate : candidates) {
            ZipEntry entry = SOURCES.get(candidate);
            if (entry == null) {
                continue;
            }
            String source;
            try (InputStream in = ZIP.getInputStream(entry)) {
                source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Matcher m = Pattern.compile("\\b" + Pattern.quote(field) + LITERAL.pattern()).matcher(source);
            if (!m.find()) {
                return null;
            }
            String literal = m.group(1);
            if (format != null) {
                try {
                    Object value;
                    if (literal.startsWith("'")) {
                        value = literal.charAt(1);
                    } else {
                        long number = Long.decode(literal.replace("_", "").replaceAll("[lL]$", ""));
                        value = number == (int) number ? (Object) (int) number : (Object) number;
                    }
                    return String.format(Locale.ROOT, format, value);
                } catch (RuntimeException e) {
                    return literal;
                }
            }
            if (literal.startsWith("\"") || literal.startsWith("'")) {
                return literal;
            }
            literal = literal.replace("_", "");
            return literal.matches("-?0[xX].*") ? literal.replaceAll("[lL]$", "") : literal.replaceAll("[lLfFdD]$", "");
        }
        return null;
    }

    /** Splits a {@code {@link}} body into the reference and the label (whitespace inside parentheses is kept). */
    static String[] referenceAndLabel(String body) {
        int parens = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '(') {
                parens++;
            } else if (c == ')') {
                parens--;
            } else if (parens == 0 && Character.isWhitespace(c)) {
                return new String[] {body.substring(0, i), body.substring(i).strip()};
            }
        }
        return new String[] {body, ""};
    }

    /** A reference as text: {@code A#b(c)} → {@code A.b}, {@code #b(c)} → {@code b}, module prefix dropped. */
    static String reference(String ref) {
        int paren = ref.indexOf('(');
        if (paren >= 0) {
            ref = ref.substring(0, paren);
        }
        int hash = ref.indexOf('#');
        int slash = ref.indexOf('/');
        if (slash >= 0 && (hash < 0 || slash < hash)) {
            ref = ref.substring(slash + 1);
            hash = ref.indexOf('#');
        }
        if (hash == 0) {
            return ref.substring(1);
        }
        return hash > 0 ? ref.substring(0, hash) + "." + ref.substring(hash + 1) : ref;
    }

    static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static final Map<String, String> ENTITIES = new HashMap<>();

    static {
        String[] table = {
            "lt", "<", "gt", ">", "amp", "&", "quot", "\"", "apos", "'", "nbsp", " ", "ensp", " ", "emsp", " ",
            "thinsp", " ", "times", "\u00d7", "divide", "\u00f7", "le", "\u2264", "ge", "\u2265", "ne", "\u2260",
            "plusmn", "\u00b1", "minus", "\u2212", "equals", "=", "infin", "\u221e", "frac12", "\u00bd",
            "frac14", "\u00bc", "frac34", "\u00be", "permil", "\u2030", "deg", "\u00b0", "micro", "\u00b5",
            "middot", "\u00b7", "bull", "\u2022", "hellip", "\u2026", "mdash", "\u2014", "ndash", "\u2013",
            "lsquo", "\u2018", "rsquo", "\u2019", "ldquo", "\u201c", "rdquo", "\u201d", "laquo", "\u00ab",
            "raquo", "\u00bb", "rarr", "\u2192", "larr", "\u2190", "harr", "\u2194", "uarr", "\u2191",
            "darr", "\u2193", "rArr", "\u21d2", "lArr", "\u21d0", "hArr", "\u21d4", "trade", "\u2122",
            "acute", "\u00b4", "uml", "\u00a8", "cedil", "\u00b8", "copy", "\u00a9", "reg", "\u00ae",
            "sect", "\u00a7", "para", "\u00b6", "eacute", "\u00e9",
            "egrave", "\u00e8", "aacute", "\u00e1", "agrave", "\u00e0", "auml", "\u00e4", "ouml", "\u00f6",
            "uuml", "\u00fc", "Auml", "\u00c4", "Ouml", "\u00d6", "Uuml", "\u00dc", "szlig", "\u00df",
            "ccedil", "\u00e7", "ntilde", "\u00f1", "oslash", "\u00f8", "aring", "\u00e5",
            "alpha", "\u03b1", "beta", "\u03b2", "gamma", "\u03b3", "delta", "\u03b4", "epsilon", "\u03b5",
            "theta", "\u03b8", "iota", "\u03b9", "lambda", "\u03bb", "mu", "\u03bc", "pi", "\u03c0",
            "sigma", "\u03c3", "tau", "\u03c4", "upsilon", "\u03c5", "phi", "\u03c6", "chi", "\u03c7",
            "psi", "\u03c8", "omega", "\u03c9", "Delta", "\u0394", "Sigma", "\u03a3", "Omega", "\u03a9",
        };
        for (int i = 0; i < table.length; i += 2) {
            ENTITIES.put(table[i], table[i + 1]);
        }
    }

    static final Pattern ENTITY = Pattern.compile("&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]*));");

    /** Decodes HTML entities: the named ones above and all numeric ones; unknown names stay as written. */
    static String entities(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = ENTITY.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String replacement = m.group();
            if (m.group(1) != null || m.group(2) != null) {
                int code = m.group(1) != null ? Integer.parseInt(m.group(1)) : Integer.parseInt(m.group(2), 16);
                if (Character.isValidCodePoint(code) && code != 0) {
                    replacement = new String(Character.toChars(code));
                }
            } else if (ENTITIES.containsKey(m.group(3))) {
                replacement = ENTITIES.get(m.group(3));
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers

    static int words(String s) {
        String t = s.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    static String normalise(String sentence) {
        return sentence.toLowerCase(Locale.ROOT).strip().replaceAll("\\s+", " ");
    }

    static String sha256(String s) throws NoSuchAlgorithmException {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    static String json(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * Gzip with a fixed header, so that the bytes depend only on the data: magic, CM=8 (deflate), FLG=0 (no name,
     * no comment), MTIME=0 (bytes 4-7), XFL=0, OS=255 (unknown); then raw deflate at level 9, CRC-32 and ISIZE
     * (little-endian).
     */
    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
        out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(out, deflater, 1 << 16) {
            @Override
            public void close() throws IOException {
                finish(); // leave 'out' open for the trailer
            }
        }) {
            deflate.write(data);
        } finally {
            deflater.end();
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        writeIntLE(out, (int) crc.getValue());
        writeIntLE(out, data.length);
        return out.toByteArray();
    }

    static void writeIntLE(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }

    /** JAVA_VERSION from the {@code release} file of the JDK that {@code src} (JDK/lib/src.zip) belongs to. */
    static String javaVersion(Path src) {
        Path lib = src.toAbsolutePath().getParent();
        Path release = lib == null || lib.getParent() == null ? null : lib.getParent().resolve("release");
        if (release != null && Files.isRegularFile(release)) {
            try {
                for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
                    if (line.startsWith("JAVA_VERSION=")) {
                        return line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    }
                }
            } catch (IOException e) {
                return "unknown (" + e.getMessage() + ")";
            }
        }
        Path defaultSrc = Paths.get(System.getProperty("java.home"), "lib", "src.zip").toAbsolutePath();
        return src.toAbsolutePath().equals(defaultSrc) ? System.getProperty("java.version") : "unknown";
    }

    static String median(List<Integer> sorted) {
        int n = sorted.size();
        if (n % 2 == 1) {
            return String.valueOf(sorted.get(n / 2));
        }
        double m = (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
        return m == Math.floor(m) ? String.valueOf((long) m) : String.valueOf(m);
    }

    /** Nearest-rank percentile of a sorted list. */
    static int percentile(List<Integer> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
