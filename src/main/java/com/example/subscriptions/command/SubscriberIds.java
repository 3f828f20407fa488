package com.example.subscriptions.command;

import com.example.subscriptions.core.EmailAddress;

/** The workflow id of a subscriber: the one key of its runs and of its suppression. */
final class SubscriberIds {

    private SubscriberIds() {}

    /** Today the normalised email itself, as the tutorial has it. */
    static String workflowId(EmailAddress email) {
        return email.value();
    }
}
