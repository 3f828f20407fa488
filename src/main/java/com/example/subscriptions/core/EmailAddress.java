package com.example.subscriptions.core;

import java.util.Locale;
import java.util.Optional;

/**
 * A subscriber's address, normalised (trimmed, lower-cased) and plausible: {@code local@domain}, the local part at
 * most 64 characters, the whole at most 254, no spaces or control characters. Its workflow id is
 * {@link SubscriberIds}'s to derive.
 */
public record EmailAddress(String value) {

    public static final int MAX_LOCAL_PART = 64;
    public static final int MAX_LENGTH = 254;

    public EmailAddress {
        problem(value).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
    }

    /** The normalised address, or why {@code raw} is not one. */
    public static Parsed parse(String raw) {
        String normalised = raw.strip().toLowerCase(Locale.ROOT);
        return problem(normalised)
                .<Parsed>map(Parsed.Invalid::new)
                .orElseGet(() -> new Parsed.Valid(new EmailAddress(normalised)));
    }

    public sealed interface Parsed {
        record Valid(EmailAddress email) implements Parsed {}

        record Invalid(String reason) implements Parsed {}
    }

    private static Optional<String> problem(String email) {
        if (email.isEmpty()) {
            return Optional.of("email is empty");
        }
        if (email.length() > MAX_LENGTH) {
            return Optional.of("email is " + email.length() + " characters, over " + MAX_LENGTH);
        }
        for (int i = 0; i < email.length(); i++) {
            char c = email.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                return Optional.of("email contains a space or control character");
            }
        }
        int at = email.indexOf('@');
        if (at < 0 || at != email.lastIndexOf('@')) {
            return Optional.of("email must have exactly one '@'");
        }
        String local = email.substring(0, at);
        String domain = email.substring(at + 1);
        if (local.isEmpty() || domain.isEmpty()) {
            return Optional.of("email needs a local part and a domain");
        }
        if (local.length() > MAX_LOCAL_PART) {
            return Optional.of("email's local part is " + local.length() + " characters, over " + MAX_LOCAL_PART);
        }
        if (domain.startsWith(".") || domain.endsWith(".") || domain.contains("..")) {
            return Optional.of("email's domain is malformed");
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
