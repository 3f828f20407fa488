package com.example.subscriptions.mail;

/**
 * What a failed attempt means, by the reply's code and enhanced status code (RFC 3463) and the phase it came in. The
 * README's table "code and phase, what happens" is this decision.
 */
enum DeliveryVerdict {
    /** The address does not exist, or no longer: the subscription ends and the address is suppressed. */
    ADDRESS_GONE,
    /** This message is refused for good: retried a bounded number of times, then given up. */
    MESSAGE_REFUSED,
    /** May pass, or is a fault of our settings that an operator mends: retried with backoff for as long as it takes. */
    RETRY,
    /** The server or our account is over a limit: retried with growing backoff for as long as it takes, and counted. */
    THROTTLED;

    static DeliveryVerdict of(SmtpPhase phase, SmtpReply reply) {
        boolean aboutTheRecipient = phase == SmtpPhase.RCPT_TO || phase == SmtpPhase.MESSAGE;
        if (reply.throttling()) {
            return THROTTLED;
        }
        // A 4yz reply, anywhere, may pass.
        if (!reply.permanent() || !aboutTheRecipient) {
            return RETRY; // a permanent reply to the connection, AUTH or MAIL FROM is about us, not the subscriber
        }
        if (reply.status().isPresent()) {
            SmtpReply.EnhancedStatus status = reply.status().get();
            if (status.subject() == 1) {
                // x.1.x: bad mailbox, bad domain, moved, null MX; but x.1.7 and x.1.8 are about the sender, us
                return status.detail() == 7 || status.detail() == 8 ? RETRY : ADDRESS_GONE;
            }
            if (status.is(2, 1)) {
                return ADDRESS_GONE; // mailbox disabled
            }
            if (status.is(2, 2)) {
                return RETRY; // mailbox full: its owner may empty it
            }
            if (phase == SmtpPhase.RCPT_TO && (status.subject() == 7 || reply.code() == 552)) {
                // "relaying denied", "authenticate first": our settings, not the address; 552 at RCPT is a 452
                return RETRY;
            }
            return MESSAGE_REFUSED;
        }
        if (phase == SmtpPhase.RCPT_TO) {
            return switch (reply.code()) {
                case 550, 551, 553 -> ADDRESS_GONE; // mailbox unavailable, not local, name not allowed
                case 552 -> RETRY; // RFC 5321 4.5.3.1.10: at RCPT, take it as the temporary 452
                default -> MESSAGE_REFUSED;
            };
        }
        return MESSAGE_REFUSED;
    }
}
