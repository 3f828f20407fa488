package com.example.subscriptions.suppression;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Why an address is suppressed; also the wire name of the command that suppresses it. */
public enum SuppressionReason {
    /** A permanent bounce: the address does not exist, or no longer. */
    BOUNCE,
    /** The subscriber reported an email as spam. */
    COMPLAINT;

    /** {@code bounce} or {@code complaint}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SuppressionReason> ofWireName(String name) {
        return Arrays.stream(values()).filter(r -> r.wireName().equals(name)).findFirst();
    }
}
