package com.example.subscriptions.cli;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The CLI's console as a command-line tool's should be: its own one-line messages and none of the log of the
 * libraries it uses (the Kafka client warns at every failed connection attempt), unless asked with {@code --verbose}.
 * Decided before anything logs, by choosing SLF4J's no-op provider: that also spares each run the start of logback,
 * the largest part of the CLI's own start-up (docs/cli.md). With {@code --verbose}, logging is the service's own.
 */
final class ConsoleLogging {

    /** {@code -v}, {@code --verbose}, or {@code -v} among other short options ({@code -hv}). */
    private static final Pattern VERBOSE = Pattern.compile("--verbose|-[A-Za-z]*v[A-Za-z]*");

    private ConsoleLogging() {}

    /** Call first thing in a CLI process, before any class that logs is loaded. */
    static void chooseFor(String[] args) {
        if (Arrays.stream(args).noneMatch(arg -> VERBOSE.matcher(arg).matches())) {
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            // Else SLF4J announces on stderr that it uses the provider it was told to use.
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
    }
}
