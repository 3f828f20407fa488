package com.example.subscriptions.command;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.suppression.ReportSource;
import com.example.subscriptions.suppression.SuppressionReason;
import java.util.Optional;

/** A valid subscription command, read from the commands topic. */
public sealed interface Command {

    EmailAddress email();

    /** The producer's {@code commandId}, or {@code topic-partition-offset} when it gave none. */
    String commandId();

    /** The wire name of the command's type. */
    String type();

    record Subscribe(EmailAddress email, String commandId) implements Command {
        public static final String TYPE = "subscribe";

        @Override
        public String type() {
            return TYPE;
        }
    }

    record Unsubscribe(EmailAddress email, String commandId) implements Command {
        public static final String TYPE = "unsubscribe";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Double opt-in: the subscriber confirmed a pending subscription (through the confirm link). */
    record Confirm(EmailAddress email, String commandId) implements Command {
        public static final String TYPE = "confirm";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * A {@code bounce} (permanent: the address is gone) or a {@code complaint} (the subscriber reported an email as
     * spam): the address gets no more email. Its running subscription ends without a goodbye, and it is suppressed
     * until an operator lifts it.
     *
     * @param diagnostic what the report said, e.g. {@code smtp; 550 5.1.1 user unknown}; kept out of Temporal and of
     *     the suppression list, since it often repeats the address
     */
    record Suppress(
            EmailAddress email,
            String commandId,
            SuppressionReason reason,
            ReportSource source,
            Optional<String> diagnostic)
            implements Command {
        /** The longest diagnostic accepted, in Unicode code points (as JSON Schema counts). */
        public static final int MAX_DIAGNOSTIC = 1000;

        @Override
        public String type() {
            return reason.wireName();
        }
    }

    /** An operator lifts the address's suppression: it may subscribe again. */
    record Unsuppress(EmailAddress email, String commandId) implements Command {
        public static final String TYPE = "unsuppress";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * Erasure (a subscriber's request to be forgotten): its running subscription ends without a goodbye, and every
     * run of its workflow id is deleted from Temporal.
     */
    record Erase(EmailAddress email, String commandId) implements Command {
        public static final String TYPE = "erase";

        @Override
        public String type() {
            return TYPE;
        }
    }
}
