package com.example.subscriptions.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Where reading starts, as an operator writes it: an ISO-8601 time ({@code 2026-11-24T10:00:00Z}), a duration ago
 * ({@code PT1H}, {@code 90m}, {@code 2h}, {@code 1d}), {@code earliest}, or an offset (the same on every partition).
 */
sealed interface StartingPoint {

    record At(Instant time) implements StartingPoint {}

    record Earliest() implements StartingPoint {}

    record Offset(long offset) implements StartingPoint {}

    /** Converts an argument, durations counted back from the moment it is parsed. */
    final class Converter implements ITypeConverter<StartingPoint> {

        @Override
        public StartingPoint convert(String value) {
            String text = value.strip();
            if (text.equalsIgnoreCase("earliest")) {
                return new Earliest();
            }
            if (text.matches("\\d{1,18}")) {
                return new Offset(Long.parseLong(text));
            }
            try {
                return new At(OffsetDateTime.parse(text).toInstant());
            } catch (DateTimeParseException e) {
                // not a time: a duration ago?
            }
            Duration ago = duration(text.toLowerCase(Locale.ROOT));
            if (ago == null || ago.isNegative() || ago.isZero()) {
                throw new TypeConversionException("'" + value + "' is neither an ISO-8601 time such as"
                        + " 2026-11-24T10:00:00Z, a duration ago such as PT1H or 90m, 'earliest', nor an offset");
            }
            return new At(Instant.now().minus(ago));
        }

        private static Duration duration(String text) {
            if (text.matches("\\d{1,6}[smhd]")) {
                long amount = Long.parseLong(text.substring(0, text.length() - 1));
                return switch (text.charAt(text.length() - 1)) {
                    case 's' -> Duration.ofSeconds(amount);
                    case 'm' -> Duration.ofMinutes(amount);
                    case 'h' -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            }
            try {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }
}
