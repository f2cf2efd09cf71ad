package io.docstream.cli;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/** A point in time given on the command line: an ISO-8601 instant, or an ISO-8601 duration counted back from now. */
public final class TimeArgument {

    private TimeArgument() {
    }

    /** {@code 2026-11-02T09:00:00Z} as given, {@code PT1H} as an hour before {@code clock}'s now. */
    public static Instant parse(String option, String value, Clock clock,
            Function<String, ? extends CommandFailure> failure) {
        try {
            if (value.startsWith("P") || value.startsWith("p")) {
                return clock.instant().minus(Duration.parse(value));
            }
            return Instant.parse(value);
        } catch (DateTimeException | ArithmeticException e) {
            throw failure.apply(option + " must be an ISO-8601 instant such as 2026-11-02T09:00:00Z or a duration"
                    + " such as PT1H; got '" + value + "'");
        }
    }
}
