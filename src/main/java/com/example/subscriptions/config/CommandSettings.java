package com.example.subscriptions.config;

import java.time.Duration;

/**
 * @param interval the time between emails written into every subscription the service starts
 * @param emailsPerRun emails one workflow run sends before it continues as new
 * @param doubleOptIn whether the subscriptions this service starts wait for their subscriber's confirmation
 * @param confirmWithin how long a pending subscription waits for its confirmation before it ends
 * @param confirmResendAfter how long after a confirmation email a second subscribe may send another
 */
public record CommandSettings(
        String groupId,
        int maxInFlight,
        int maxRecordBytes,
        Duration interval,
        int emailsPerRun,
        boolean doubleOptIn,
        Duration confirmWithin,
        Duration confirmResendAfter) {

    static CommandSettings read(Values v) {
        return new CommandSettings(
                v.text("commands.group-id"),
                v.positiveInt("commands.max-in-flight"),
                v.positiveInt("commands.max-record-bytes"),
                v.positiveDuration("subscription.interval"),
                v.positiveInt("subscription.emails-per-run"),
                v.bool("subscription.double-opt-in"),
                v.positiveDuration("subscription.confirm-within"),
                v.positiveDuration("subscription.confirm-resend-after"));
    }
}
