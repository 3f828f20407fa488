package com.example.subscriptions.command;

/** What a command did; the {@code outcome} field of its event. */
public enum Outcome {
    /** A subscription workflow was started. */
    SUBSCRIBED,
    /** A subscription was already running: nothing was started, and that is not an error. */
    ALREADY_SUBSCRIBED,
    /** The running subscription accepted its cancellation; it sends the goodbye email and ends. */
    UNSUBSCRIBE_REQUESTED,
    /** No subscription was running: nothing to cancel (or to confirm), and that is not an error. */
    NOT_SUBSCRIBED,
    /** Double opt-in: the pending subscription took this confirmation; its welcome follows at once. */
    CONFIRMED,
    /** A confirm for a subscription that is running but not pending (confirmed already, or started without). */
    NOT_PENDING,
    /**
     * The address is suppressed. For a bounce or complaint: this command suppressed it, and ended its running
     * subscription without a goodbye. For a subscribe: nothing was started and nothing is sent.
     */
    SUPPRESSED,
    /** A bounce or complaint for an address suppressed already (a repeat, or this record applied already). */
    ALREADY_SUPPRESSED,
    /** The suppression was lifted: the address may subscribe again. */
    UNSUPPRESSED,
    /** The address was not suppressed: nothing to lift, and that is not an error. */
    NOT_SUPPRESSED,
    /** An erase ended the running subscription without a goodbye (if one ran) and deleted every run. */
    ERASED,
    /** An erase found no run of the subscriber: nothing to erase (never subscribed, or erased already). */
    NOT_FOUND,
    /** The record cannot be acted on; it went to the dead letter topic. */
    REJECTED
}
