package com.example.subscriptions.bounces;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.suppression.ReportSource;
import com.example.subscriptions.suppression.SuppressionReason;
import java.util.List;

/** What one message of the bounce mailbox says, once read. */
public sealed interface MailboxReport {

    /** The kind of report, for metrics and logs: {@code dsn-bounce}, {@code arf-complaint}, ignored, unparsed. */
    String kind();

    /** Bounces or complaints to publish, one per subscriber the report names (a DSN may name several). */
    record Suppressions(List<Found> found) implements MailboxReport {
        public Suppressions {
            found = List.copyOf(found);
            if (found.isEmpty()) {
                throw new IllegalArgumentException("a report of suppressions names at least one subscriber");
            }
        }

        @Override
        public String kind() {
            Found first = found.get(0);
            return first.source().wireName() + "-" + first.reason().wireName();
        }
    }

    /** A report read whole that changes nothing: a delay, a delivery, a soft bounce, a feedback type other than abuse. */
    record Ignored(String why) implements MailboxReport {
        @Override
        public String kind() {
            return "ignored";
        }
    }

    /** A message this reader cannot act on: not a report, malformed, oversized, no subscriber to be found. */
    record Unparsed(String why) implements MailboxReport {
        @Override
        public String kind() {
            return "unparsed";
        }
    }

    /**
     * One subscriber a report names.
     *
     * @param commandId derived from the report's Message-ID and the subscriber, so that reading the same message again
     *     publishes the same id
     * @param diagnostic what the report said, at most {@code Command.Suppress.MAX_DIAGNOSTIC} code points
     */
    record Found(
            SuppressionReason reason, ReportSource source, EmailAddress email, String diagnostic, String commandId) {}
}
