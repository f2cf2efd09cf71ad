package io.docstream.query.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.docstream.platform.errors.InvalidInputException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Fuzzes audit cursors: decode(encode(x)) is x for the tenant and filters it was issued for, another
 * tenant's cursor is refused, and garbage or a tampered cursor is the documented 400 problem (or, where the
 * change did not alter the decoded bytes, the same position), never another exception. Regression inputs
 * live under {@code AuditCursorFuzzTestsInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class AuditCursorFuzzTests {

    private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/.:";

    @FuzzTest(maxDuration = "60s")
    void aCursorRoundTripsForItsTenantAndFiltersOnly(FuzzedDataProvider data) {
        AuditCursor cursor = new AuditCursor(Instant.EPOCH.plus(data.consumeLong(
                ChronoUnit.MICROS.between(Instant.EPOCH, AuditCursor.EARLIEST),
                ChronoUnit.MICROS.between(Instant.EPOCH, AuditCursor.LATEST)), ChronoUnit.MICROS),
                new UUID(data.consumeLong(), data.consumeLong()));
        AuditFilter filter = filter(data);
        String tenant = data.consumeString(16);
        String encoded = cursor.encode(tenant, filter);

        assertThat(AuditCursor.decode(encoded, tenant, filter)).isEqualTo(cursor);
        assertRefused(() -> AuditCursor.decode(encoded, tenant + "x", filter));

        if (data.remainingBytes() > 0) {
            int position = data.consumeInt(0, encoded.length() - 1);
            char replacement = BASE64URL.charAt(data.consumeInt(0, BASE64URL.length() - 1));
            String tampered = encoded.substring(0, position) + replacement + encoded.substring(position + 1);
            AuditCursor decoded;
            try {
                decoded = AuditCursor.decode(tampered, tenant, filter);
            } catch (InvalidInputException e) {
                return;
            }
            assertThat(decoded).as("a change that decodes must not move the position").isEqualTo(cursor);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void garbageIsRefusedWithTheDocumentedProblem(FuzzedDataProvider data) {
        AuditFilter filter = filter(data);
        String cursor = data.consumeRemainingAsString();
        AuditCursor decoded;
        try {
            decoded = AuditCursor.decode(cursor, "acme", filter);
        } catch (InvalidInputException e) {
            assertThat(e.getMessage()).contains("'cursor'");
            return;
        }
        if (decoded != null) {
            assertThat(AuditCursor.decode(decoded.encode("acme", filter), "acme", filter)).isEqualTo(decoded);
        }
    }

    private static AuditFilter filter(FuzzedDataProvider data) {
        return new AuditFilter(data.consumeBoolean() ? data.consumeString(12) : null,
                data.consumeBoolean() ? data.consumeString(12) : null,
                data.consumeBoolean() ? data.consumeString(12) : null,
                data.consumeBoolean() ? Instant.ofEpochSecond(data.consumeInt()) : null,
                data.consumeBoolean() ? Instant.ofEpochSecond(data.consumeInt()) : null);
    }

    private static void assertRefused(Runnable decode) {
        assertThatThrownBy(decode::run).isInstanceOf(InvalidInputException.class);
    }
}
