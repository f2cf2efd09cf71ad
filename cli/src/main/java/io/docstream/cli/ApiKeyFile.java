package io.docstream.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/** The API key that {@code docstream run} wrote for tenant {@code demo}, as the client commands read it. */
public final class ApiKeyFile {

    private ApiKeyFile() {
    }

    /** Reads {@code <dataDir>/api-key}; a missing or empty file becomes the command's own error. */
    public static String read(Path dataDir, Function<String, ? extends RuntimeException> failure) {
        return readFile(dataDir.resolve("api-key"), failure, "--data-dir");
    }

    /** Reads the key in {@code keyFile} (an {@code --api-key-file} option); errors as in {@link #read}. */
    public static String readFile(Path keyFile, Function<String, ? extends RuntimeException> failure) {
        return readFile(keyFile, failure, "--api-key-file");
    }

    private static String readFile(Path keyFile, Function<String, ? extends RuntimeException> failure, String option) {
        try {
            String key = Files.readString(keyFile, StandardCharsets.UTF_8).strip();
            if (key.isEmpty()) {
                throw failure.apply(keyFile + " is empty");
            }
            return key;
        } catch (IOException e) {
            throw failure.apply("no API key at " + keyFile.toAbsolutePath()
                    + "; start './docstream run' first (or pass " + option + ")");
        }
    }
}
