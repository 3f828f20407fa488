package com.example.subscriptions.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * The event published for every command, keyed by the normalised email.
 *
 * @param source where a bounce or complaint was learnt; null for other commands
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubscriptionEvent(
        String commandId, String type, String email, Outcome outcome, String source, String reason, Instant at) {}
