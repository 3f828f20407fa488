package com.example.subscriptions.suppression;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The addresses that get no email: every address that bounced or whose owner complained, until an operator lifts it.
 * Keyed by the subscriber's workflow id, so that it names nobody where workflow ids are pseudonymous.
 */
public interface SuppressionList {

    /** Why the subscriber is suppressed, or empty; from memory. */
    Optional<SuppressionReason> find(String workflowId);

    /** Suppresses the subscriber; completes once the entry is stored for good and {@link #find} returns it. */
    CompletionStage<Void> add(String workflowId, Suppression entry);

    /** Lifts the subscriber's suppression; completes once that is stored for good and {@link #find} says so. */
    CompletionStage<Void> lift(String workflowId);

    /** Completes once {@link #find} knows every entry stored before this call, by any instance of the service. */
    CompletableFuture<Void> caughtUp();

    /** How many subscribers are suppressed. */
    int size();
}
