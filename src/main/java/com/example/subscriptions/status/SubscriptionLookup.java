package com.example.subscriptions.status;

import com.example.subscriptions.core.EmailAddress;
import java.util.concurrent.CompletionStage;

/** Finds a subscription's details; never fails: every answer is a {@link Lookup}. */
@FunctionalInterface
public interface SubscriptionLookup {
    CompletionStage<Lookup> lookup(EmailAddress email);
}
