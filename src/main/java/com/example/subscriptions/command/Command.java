package com.example.subscriptions.command;

import com.example.subscriptions.core.EmailAddress;

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
}
