package com.example.subscriptions.suppression;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Where a bounce or complaint was learnt; the {@code source} field of its command, in lower case. */
public enum ReportSource {
    /** The worker's SMTP server refused the address while the worker sent an email. */
    SMTP,
    /** A delivery status notification (RFC 3464) in the bounce mailbox. */
    DSN,
    /** An abuse feedback report (RFC 5965) in the bounce mailbox. */
    ARF,
    /** An Amazon SES notification, through SNS. */
    SES,
    /** Another provider's signed webhook. */
    WEBHOOK,
    /** An operator, by hand. */
    OPERATOR;

    /**
     * Whether the report comes from the subscription's own run, which ends by itself: the worker reports an address
     * its SMTP server refused, then ends the run COMPLETED with the server's reply in its details.
     */
    public boolean endsItsOwnRun() {
        return this == SMTP;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The source a wire name names, exactly as written (lower case). */
    public static Optional<ReportSource> ofWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(name)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(ReportSource::wireName).toList();
    }
}
