package io.docstream.cli.docs;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's documentation lives, seen from the cli module Maven runs the tests in. */
final class Docs {

    private Docs() {
    }

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))
                    && Files.isDirectory(dir.resolve("cli"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no README.md with docs/ and cli/ above " + Path.of("").toAbsolutePath());
    }
}
