package com.example.subscriptions.status;

import com.example.subscriptions.workflow.EmailDetails;

/** What Temporal said of one subscription. */
public sealed interface Lookup {

    /** @param status the execution status without its prefix: RUNNING, CANCELED, COMPLETED, ... */
    record Found(String status, EmailDetails details) implements Lookup {}

    record NotFound() implements Lookup {}

    /** Temporal did not answer in time (no worker, outage) or could not answer. */
    record Unavailable(String why) implements Lookup {}
}
