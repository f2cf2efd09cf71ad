package io.docstream.search.lucene;

import io.docstream.search.DelegatingSearchIndex;
import io.docstream.search.IndexTarget;
import io.docstream.search.IndexTargets;
import io.docstream.search.SearchIndex;
import io.docstream.search.ServingTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lucene targets on local disk: each target is a directory {@code <root>/<alias>__<model>__<build>/} and the
 * alias is the file {@code <root>/<alias>.alias} naming one of them, replaced atomically (temp file + atomic
 * move). An index that earlier versions kept directly in {@code <root>} is adopted in place as the target of
 * build {@code 0}, recorded in {@code <root>/<alias>.legacy}. Targets stay open until dropped or closed, so a
 * switch is a volatile swap and searches in flight finish on the target they started on.
 * {@link #openReadOnly} follows targets another process writes: it opens them without the write lock, serves
 * from the alias's target once the alias file exists, and at each {@link #refresh()} follows a moved alias and
 * picks up new commits; everything that would write is refused.
 */
public final class LuceneIndexTargets implements IndexTargets {

    static final String SEPARATOR = "__";
    static final String LEGACY_BUILD = "0";
    private static final Pattern NAME_PART = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final Logger log = LoggerFactory.getLogger(LuceneIndexTargets.class);

    private final Path root;
    private final String alias;
    private final Map<String, LuceneSearchIndex> open = new ConcurrentHashMap<>();
    private final ServingTarget serving = new ServingTarget("lucene");
    private final Object lock = new Object();
    private final boolean readOnly;
    private volatile boolean closed;

    private LuceneIndexTargets(Path root, String alias, boolean readOnly) {
        this.root = root;
        this.alias = alias;
        this.readOnly = readOnly;
    }

    /**
     * Opens the targets under {@code root}; when there is no alias yet, adopts an index found directly in
     * {@code root} or creates the target of {@code model} and {@code build}, and points the alias at it.
     */
    public static LuceneIndexTargets open(Path root, String alias, String model, String build) {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(model, "model");
        requireAlias(alias);
        requireNamePart("build", build);
        LuceneIndexTargets targets = new LuceneIndexTargets(root.toAbsolutePath().normalize(), alias, false);
        try {
            targets.start(model, build);
            return targets;
        }
        catch (RuntimeException e) {
            targets.close();
            throw e;
        }
    }

    /**
     * Follows the targets under {@code root} that another process (the indexer) writes, read-only. Until that
     * process has written the alias file nothing is served and searches fail; {@link #refresh()} binds the
     * alias's target as soon as it appears.
     */
    public static LuceneIndexTargets openReadOnly(Path root, String alias) {
        Objects.requireNonNull(root, "root");
        requireAlias(alias);
        LuceneIndexTargets targets = new LuceneIndexTargets(root.toAbsolutePath().normalize(), alias, true);
        try {
            targets.follow();
            if (!targets.serving.isBound()) {
                log.info("No alias {} in {} yet; serving nothing until the indexer creates it", alias, targets.root);
            }
            return targets;
        }
        catch (RuntimeException e) {
            targets.close();
            throw e;
        }
    }

    /** The name of the target of a model and build under an alias; characters a name cannot hold become {@code -}. */
    public static String targetName(String alias, String model, String build) {
        return alias + SEPARATOR + safe(model) + SEPARATOR + safe(build);
    }

    private void start(String model, String build) {
        try {
            Files.createDirectories(root);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot create the index directory " + root, e);
        }
        Optional<String> pointed = readAlias();
        String target;
        if (pointed.isPresent()) {
            target = pointed.get();
        }
        else if (holdsIndex(root)) {
            String legacyModel = Optional.ofNullable(recordedModel(root)).orElse(model);
            target = targetName(alias, legacyModel, LEGACY_BUILD);
            writeAtomically(legacyFile(), target);
            create(legacyModel, 0, LEGACY_BUILD);
            log.info("Adopted the index in {} as target {} (model {})", root, target, legacyModel);
            writeAlias(target);
        }
        else {
            target = create(model, 0, build);
            writeAlias(target);
        }
        serving.bind(new IndexTarget.Ref(target, index(target).modelId()), index(target));
    }

    @Override
    public String name() {
        return "lucene";
    }

    @Override
    public String alias() {
        return alias;
    }

    /** The directory all targets and the alias file live in. */
    public Path root() {
        return root;
    }

    @Override
    public IndexTarget.Ref current() {
        return serving.current();
    }

    /** Whether this process serves a target yet (a read-only follower has none until the alias exists). */
    public boolean serves() {
        return serving.isBound();
    }

    @Override
    public String create(String model, int dimensions, String build) {
        Objects.requireNonNull(model, "model");
        requireNamePart("build", build);
        String target = targetName(alias, model, build);
        synchronized (lock) {
            ensureOpen();
            requireWritable("create target " + target);
            LuceneSearchIndex existing = open.get(target);
            if (existing != null) {
                requireModel(target, existing.modelId(), model);
                return target;
            }
            open.put(target, new LuceneSearchIndex(directoryOf(target), model));
        }
        log.info("Lucene target {} ready for model {}", target, model);
        return target;
    }

    @Override
    public SearchIndex open(String target) {
        return DelegatingSearchIndex.unclosable(index(target));
    }

    @Override
    public void pointAliasAt(String target) {
        synchronized (lock) {
            requireWritable("point alias " + alias + " at " + target);
            LuceneSearchIndex index = index(target);
            writeAlias(target);
            serving.bind(new IndexTarget.Ref(target, index.modelId()), index);
        }
        log.info("Lucene alias {} now points at {}", alias, target);
    }

    @Override
    public List<IndexTarget> list() {
        ensureOpen();
        String current = readAlias().orElse(serving.isBound() ? serving.current().name() : null);
        List<IndexTarget> targets = new ArrayList<>();
        for (String target : targetNames()) {
            LuceneSearchIndex index = index(target);
            targets.add(new IndexTarget(target, Objects.requireNonNullElse(index.modelId(), ""),
                    index.countAllDocuments(), target.equals(current)));
        }
        return List.copyOf(targets);
    }

    @Override
    public Optional<String> modelOf(String target) {
        if (!targetNames().contains(target)) {
            return Optional.empty();
        }
        return Optional.ofNullable(index(target).modelId());
    }

    @Override
    public void drop(String target) {
        synchronized (lock) {
            ensureOpen();
            requireWritable("drop target " + target);
            if (!targetNames().contains(target)) {
                throw new IllegalArgumentException("There is no target '" + target + "' of alias " + alias);
            }
            if (target.equals(readAlias().orElse(null))
                    || serving.isBound() && target.equals(serving.current().name())) {
                throw new IllegalStateException("Refusing to drop " + target + ": alias " + alias + " points at it");
            }
            LuceneSearchIndex index = open.remove(target);
            if (index != null) {
                index.close();
            }
            if (target.equals(legacyTarget().orElse(null))) {
                deleteLegacyFiles();
            }
            else {
                deleteRecursively(root.resolve(target));
            }
        }
        log.info("Dropped Lucene target {}", target);
    }

    /**
     * Reads the alias again and serves from its target when another process moved it; a read-only follower
     * also makes the commits written since the last refresh visible. Throws {@link IllegalStateException}
     * while a follower has no alias to follow yet.
     */
    @Override
    public boolean followsAnotherWriter() {
        return readOnly;
    }

    @Override
    public IndexTarget.Ref refresh() {
        synchronized (lock) {
            follow();
            if (!serving.isBound()) {
                throw new IllegalStateException("No alias " + alias + " in " + root + " yet: the indexer creates it "
                        + "when it starts");
            }
            return serving.current();
        }
    }

    private void follow() {
        synchronized (lock) {
            ensureOpen();
            Optional<String> pointed = readAlias();
            if (pointed.isPresent() && (!serving.isBound() || !pointed.get().equals(serving.current().name()))) {
                LuceneSearchIndex index = index(pointed.get());
                index.refresh();
                serving.bind(new IndexTarget.Ref(pointed.get(), index.modelId()), index);
            }
            if (readOnly) {
                refreshFollowedTargets();
            }
        }
    }

    /**
     * Picks up new commits of every open target. A target the writer dropped cannot be refreshed any more:
     * unless it is still served from, it is closed and forgotten.
     */
    private void refreshFollowedTargets() {
        String served = serving.isBound() ? serving.current().name() : null;
        for (Map.Entry<String, LuceneSearchIndex> target : List.copyOf(open.entrySet())) {
            try {
                target.getValue().refresh();
            }
            catch (RuntimeException e) {
                if (target.getKey().equals(served)) {
                    throw e;
                }
                open.remove(target.getKey());
                closeQuietly(target.getValue());
                log.info("Stopped following Lucene target {}: {}", target.getKey(), e.toString());
            }
        }
    }

    private static void closeQuietly(LuceneSearchIndex index) {
        try {
            index.close();
        }
        catch (RuntimeException ignored) {
            // the target is gone; nothing else holds it
        }
    }

    @Override
    public SearchIndex serving() {
        return serving.view();
    }

    @Override
    public void onSwitch(Consumer<IndexTarget.Ref> listener) {
        serving.onSwitch(listener);
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            RuntimeException failure = null;
            for (LuceneSearchIndex index : open.values()) {
                try {
                    index.close();
                }
                catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
            open.clear();
            if (failure != null) {
                throw failure;
            }
        }
    }

    @Override
    public String toString() {
        return "LuceneIndexTargets[" + root + ", alias=" + alias + (readOnly ? ", read-only" : "") + "]";
    }

    private LuceneSearchIndex index(String target) {
        ensureOpen();
        LuceneSearchIndex index = open.get(target);
        if (index != null) {
            return index;
        }
        synchronized (lock) {
            ensureOpen();
            index = open.get(target);
            if (index == null) {
                Path directory = directoryOf(target);
                if (!holdsIndex(directory)) {
                    throw new IllegalArgumentException("There is no target '" + target + "' of alias " + alias);
                }
                index = readOnly ? LuceneSearchIndex.openReadOnly(directory) : new LuceneSearchIndex(directory);
                open.put(target, index);
            }
            return index;
        }
    }

    private List<String> targetNames() {
        List<String> names = new ArrayList<>();
        legacyTarget().ifPresent(names::add);
        try (Stream<Path> children = Files.list(root)) {
            children.filter(Files::isDirectory)
                    .map(child -> child.getFileName().toString())
                    .filter(name -> name.startsWith(alias + SEPARATOR))
                    .filter(name -> open.containsKey(name) || holdsIndex(root.resolve(name)))
                    .forEach(names::add);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Listing the targets in " + root + " failed", e);
        }
        return names.stream().distinct().sorted().toList();
    }

    private Path directoryOf(String target) {
        requireNamePart("target", target);
        if (!target.startsWith(alias + SEPARATOR)) {
            throw new IllegalArgumentException("'" + target + "' is not a target of alias " + alias);
        }
        return target.equals(legacyTarget().orElse(null)) ? root : root.resolve(target);
    }

    private Optional<String> readAlias() {
        return readName(aliasFile());
    }

    private Optional<String> legacyTarget() {
        return readName(legacyFile());
    }

    private void writeAlias(String target) {
        writeAtomically(aliasFile(), target);
    }

    private Path aliasFile() {
        return root.resolve(alias + ".alias");
    }

    private Path legacyFile() {
        return root.resolve(alias + ".legacy");
    }

    private static Optional<String> readName(Path file) {
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip())
                    .filter(name -> !name.isEmpty()) : Optional.empty();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Reading " + file + " failed", e);
        }
    }

    private static void writeAtomically(Path file, String content) {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(temp, content + "\n", StandardCharsets.UTF_8);
            try (var channel = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (AtomicMoveNotSupportedException e) {
                throw new UncheckedIOException("The file system of " + file + " cannot replace files atomically", e);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Writing " + file + " failed", e);
        }
    }

    private void deleteLegacyFiles() {
        try (Stream<Path> children = Files.list(root)) {
            for (Path child : children.filter(Files::isRegularFile).toList()) {
                String name = child.getFileName().toString();
                if (!name.endsWith(".alias") && !name.endsWith(".alias.tmp")) {
                    Files.delete(child);
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Dropping the adopted index in " + root + " failed", e);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Deleting " + directory + " failed", e);
        }
    }

    private static boolean holdsIndex(Path directory) {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Directory lucene = FSDirectory.open(directory)) {
            return org.apache.lucene.index.DirectoryReader.indexExists(lucene);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Reading " + directory + " failed", e);
        }
    }

    private static String recordedModel(Path directory) {
        try (Directory lucene = FSDirectory.open(directory)) {
            return LuceneSearchIndex.recordedModel(lucene);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Reading " + directory + " failed", e);
        }
    }

    private void requireWritable(String action) {
        if (readOnly) {
            throw new UnsupportedOperationException("Cannot " + action + ": the Lucene targets in " + root
                    + " are open read-only in this process (docstream.index.lucene.read-only=true)");
        }
    }

    private static void requireAlias(String alias) {
        requireNamePart("alias", alias);
        if (alias.contains(SEPARATOR)) {
            throw new IllegalArgumentException("The index alias must not contain '" + SEPARATOR + "': " + alias);
        }
    }

    private static void requireModel(String target, String held, String model) {
        if (held != null && !held.equals(model)) {
            throw new IllegalStateException("Target " + target + " holds vectors of model '" + held
                    + "'; refusing to use it with '" + model + "'");
        }
    }

    private static void requireNamePart(String what, String value) {
        if (value == null || !NAME_PART.matcher(value).matches() || value.startsWith(".")) {
            throw new IllegalArgumentException("The " + what + " must be 1 to 200 characters from [A-Za-z0-9._-], "
                    + "not starting with '.'; got '" + value + "'");
        }
    }

    private static String safe(String part) {
        return part.replaceAll("[^A-Za-z0-9._-]", "-");
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The Lucene index targets are closed");
        }
    }
}
