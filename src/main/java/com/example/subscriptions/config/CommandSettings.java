package com.example.subscriptions.config;

import java.time.Duration;

/**
 * @param interval the time between emails written into every subscription the service starts
 * @param emailsPerRun emails one workflow run sends before it continues as new
 */
public record CommandSettings(
        String groupId, int maxInFlight, int maxRecordBytes, Duration interval, int emailsPerRun) {

    static CommandSettings read(Values v) {
        return new CommandSettings(
                v.text("commands.group-id"),
                v.positiveInt("commands.max-in-flight"),
                v.positiveInt("commands.max-record-bytes"),
                v.positiveDuration("subscription.interval"),
                v.positiveInt("subscription.emails-per-run"));
    }
}
