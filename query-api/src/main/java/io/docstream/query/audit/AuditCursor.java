package io.docstream.query.audit;

import io.docstream.platform.errors.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

/**
 * An opaque page token: the position of the last row shown ({@code occurred_at}, {@code audit_id}) plus a
 * digest of that position, the tenant and the filters it was issued for, so a cursor that was altered, made
 * up or replayed with other filters or another key's tenant is refused with a 400 instead of paging through
 * the wrong rows. The digest is a consistency check, not a secret: a cursor can only ever page the caller's
 * own tenant, whose rows the key may read anyway.
 */
record AuditCursor(Instant occurredAt, UUID auditId) {

    private static final String VERSION = "a1";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /**
     * The instants a cursor can hold: years 1 to 9999, far beyond any audit row's time, and well inside what a
     * count of microseconds since the epoch can express (at its very edge {@link ChronoUnit#between} overflows).
     */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    AuditCursor {
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(auditId, "auditId");
        if (occurredAt.isBefore(EARLIEST) || occurredAt.isAfter(LATEST)) {
            throw new IllegalArgumentException("an audit cursor's time must lie in years 1 to 9999: " + occurredAt);
        }
    }

    String encode(String tenant, AuditFilter filter) {
        String position = ChronoUnit.MICROS.between(Instant.EPOCH, occurredAt) + ":" + auditId;
        String value = VERSION + ":" + position + ":" + digest(position, tenant, filter);
        return ENCODER.encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor points after; null without a cursor; a 400 problem for one not issued for these filters. */
    static AuditCursor decode(String cursor, String tenant, AuditFilter filter) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String[] parts;
        try {
            parts = new String(DECODER.decode(cursor), StandardCharsets.UTF_8).split(":", -1);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (parts.length != 4 || !VERSION.equals(parts[0]) || !MessageDigest.isEqual(
                digest(parts[1] + ":" + parts[2], tenant, filter).getBytes(StandardCharsets.UTF_8),
                parts[3].getBytes(StandardCharsets.UTF_8))) {
            throw invalid();
        }
        try {
            Instant occurredAt = Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS);
            UUID auditId = UUID.fromString(parts[2]);
            if (!auditId.toString().equals(parts[2])) {
                throw invalid();
            }
            return new AuditCursor(occurredAt, auditId);
        } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
            throw invalid();
        }
    }

    private static String digest(String position, String tenant, AuditFilter filter) {
        String canonical = String.join("\u0000", position, tenant, String.valueOf(filter.actor()), String.valueOf(filter.action()),
                String.valueOf(filter.requestId()), String.valueOf(filter.since()), String.valueOf(filter.until()));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static InvalidInputException invalid() {
        return new InvalidInputException("Parameter 'cursor' is not a cursor this listing issued.");
    }
}
