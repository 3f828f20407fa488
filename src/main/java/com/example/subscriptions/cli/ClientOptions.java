package com.example.subscriptions.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The options every subcommand takes. */
final class ClientOptions {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Settings file (default: config/application.properties when present); environment "
                    + "variables and -D system properties override it, as for the service.")
    Path config;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "15s",
            converter = DurationConverter.class,
            description = "How long to wait for the service's answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = "--connect-timeout",
            paramLabel = "DURATION",
            defaultValue = "5s",
            converter = DurationConverter.class,
            description = "How long Kafka may take to first answer before it counts as unreachable "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    // Read before parsing, by ConsoleLogging; declared here so that parsing and help know it.
    @Option(
            names = {"-v", "--verbose"},
            description = "Also show the Kafka client's log, and how long each step took.")
    boolean verbose;

    Optional<Path> configFile() {
        return Optional.ofNullable(config);
    }

    /** A duration as a person writes it: {@code 5 s}, {@code 1.5 s}, {@code 500 ms}. */
    static String text(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        return (millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0)) + " s";
    }

    /** {@code 15s}, {@code 500ms}, {@code 2m}, or ISO-8601 such as {@code PT15S}; positive. */
    static final class DurationConverter implements ITypeConverter<Duration> {

        private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m)");

        @Override
        public Duration convert(String value) {
            Duration duration = parse(value.strip().toLowerCase(Locale.ROOT));
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new TypeConversionException(
                        "'" + value + "' is not a positive duration such as 15s, 500ms, " + "2m or PT15S");
            }
            return duration;
        }

        private static Duration parse(String value) {
            Matcher matcher = SHORT.matcher(value);
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                return switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    default -> Duration.ofMinutes(amount);
                };
            }
            try {
                return Duration.parse(value);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }
}
