package com.example.subscriptions.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** The event published for every command, keyed by the normalised email. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubscriptionEvent(
        String commandId, String type, String email, Outcome outcome, String reason, Instant at) {}
