package io.docstream.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/** SHA-256 of text as lower-case hex: cache keys, query hashes and request shapes name things by it. */
public final class Hashing {

    /** Cloned per use: cheaper than looking the algorithm up among the providers every time. */
    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private Hashing() {
    }

    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256().digest(Objects.requireNonNull(text, "text")
                .getBytes(StandardCharsets.UTF_8)));
    }

    /** SHA-256 of the bytes. */
    public static byte[] sha256(byte[] bytes) {
        return sha256().digest(bytes);
    }

    /** A fresh SHA-256 digest to feed in parts. */
    public static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException impossible) {
                throw new IllegalStateException("SHA-256 is part of every JRE", impossible);
            }
        }
    }
}
