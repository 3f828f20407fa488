package com.example.subscriptions.suppression;

import com.example.subscriptions.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * One entry of the suppression list as the topic holds it, keyed by the subscriber's workflow id: {@code {"reason":
 * "bounce", "source": "dsn", "at": "...", "commandId": "..."}}. No address and no diagnostic (which often repeats the
 * address): the key alone names the subscriber.
 *
 * @param at when the command that suppressed the address was applied
 * @param commandId the id of that command
 */
public record Suppression(String reason, String source, Instant at, String commandId) {

    public static Suppression of(SuppressionReason reason, ReportSource source, Instant at, String commandId) {
        return new Suppression(reason.wireName(), source.wireName(), at, commandId);
    }

    public byte[] toBytes() {
        return Json.toBytes(this);
    }

    /** The reason a value of the topic gives; empty when the value cannot be read or names no known reason. */
    static Optional<SuppressionReason> reasonOf(byte[] value) {
        try {
            JsonNode json = Json.MAPPER.readTree(value);
            return json == null
                    ? Optional.empty()
                    : SuppressionReason.ofWireName(json.path("reason").asText(""));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
