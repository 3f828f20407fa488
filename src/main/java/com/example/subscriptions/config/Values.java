package com.example.subscriptions.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The merged settings as text, read typed: every error names the key and what it was. */
final class Values {

    private final Map<String, String> values;

    Values(Map<String, String> values) {
        this.values = values;
    }

    String text(String key) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            throw new ConfigException("Setting '" + key + "' must not be empty");
        }
        return value.trim();
    }

    Optional<String> optional(String key) {
        String value = values.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** Comma-separated, blanks ignored; empty when unset. */
    List<String> list(String key) {
        return optional(key).stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::strip)
                .filter(item -> !item.isEmpty())
                .toList();
    }

    Optional<Path> optionalPath(String key) {
        return optional(key).map(Path::of);
    }

    /** A positive number of events a second (fractions allowed: 0.5 is one every two seconds); empty when unset. */
    Optional<Double> optionalPositiveRate(String key) {
        Optional<String> text = optional(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            double rate = Double.parseDouble(text.get().strip());
            if (rate > 0 && Double.isFinite(rate)) {
                return Optional.of(rate);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("Setting '" + key + "' must be a positive number of emails a second (e.g. 14,"
                + " 0.5) or empty for no limit, was '" + values.get(key) + "'");
    }

    boolean bool(String key) {
        String value = text(key).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw new ConfigException("Setting '" + key + "' must be true or false, was '" + values.get(key) + "'");
        };
    }

    int positiveInt(String key) {
        try {
            int value = Integer.parseInt(text(key));
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(
                "Setting '" + key + "' must be a positive whole number, was '" + values.get(key) + "'");
    }

    /** 0 means any free port. */
    int port(String key) {
        try {
            int port = Integer.parseInt(text(key));
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(
                "Setting '" + key + "' must be a port number (0 for any free port), was '" + values.get(key) + "'");
    }

    int tcpPort(String key) {
        try {
            int port = Integer.parseInt(text(key));
            if (port > 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(
                "Setting '" + key + "' must be a port number from 1 to 65535, was '" + values.get(key) + "'");
    }

    /** One of an enum's constants, by the name {@code setting} gives each (compared ignoring case). */
    <E extends Enum<E>> E choice(String key, Class<E> type, Function<E, String> setting) {
        String value = text(key);
        for (E constant : type.getEnumConstants()) {
            if (setting.apply(constant).equalsIgnoreCase(value)) {
                return constant;
            }
        }
        throw new ConfigException("Setting '" + key + "' must be one of "
                + Arrays.stream(type.getEnumConstants())
                        .map(c -> setting.apply(c).toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", "))
                + ", was '" + values.get(key) + "'");
    }

    Duration positiveDuration(String key) {
        try {
            Duration value = Duration.parse(text(key));
            if (!value.isNegative() && !value.isZero()) {
                return value;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new ConfigException("Setting '" + key + "' must be a positive ISO-8601 duration such as PT12S"
                + " or P7D, was '" + values.get(key) + "'");
    }

    /** The keys that start with {@code prefix} and have a value, as set: the pass-through settings of a library. */
    Map<String, String> withPrefix(String prefix) {
        Map<String, String> selected = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(prefix) && !value.isBlank()) {
                selected.put(key, value);
            }
        });
        return selected;
    }
}
