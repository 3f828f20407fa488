package com.example.subscriptions.command;

import java.util.concurrent.CompletionStage;

/**
 * Applies one command record. Every attempt of the record goes to the same instance, so it may remember what earlier
 * attempts did: an attempt that failed after reaching Temporal or Kafka may have been applied, its answer lost.
 *
 * <p>A failed stage means "try again later" (Temporal or Kafka unreachable, slow, busy); every answer the caller can
 * act on is an {@link Outcome}.
 */
@FunctionalInterface
interface CommandApplication {

    /** @param at the command record's position, which tells a redelivery from a new command */
    CompletionStage<Outcome> attempt(CommandPosition at);
}
