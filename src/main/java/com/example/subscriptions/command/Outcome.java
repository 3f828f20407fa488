package com.example.subscriptions.command;

/** What a command did; the {@code outcome} field of its event. */
public enum Outcome {
    /** A subscription workflow was started. */
    SUBSCRIBED,
    /** A subscription was already running: nothing was started, and that is not an error. */
    ALREADY_SUBSCRIBED,
    /** The running subscription accepted its cancellation; it sends the goodbye email and ends. */
    UNSUBSCRIBE_REQUESTED,
    /** No subscription was running: nothing to cancel, and that is not an error. */
    NOT_SUBSCRIBED,
    /** The record cannot be acted on; it went to the dead letter topic. */
    REJECTED
}
