package com.example.subscriptions.config;

import java.time.Duration;

/** @param queryTimeout how long a details query may take before the reply says UNAVAILABLE */
public record DetailsSettings(String groupId, int maxInFlight, Duration queryTimeout) {

    static DetailsSettings read(Values v) {
        return new DetailsSettings(
                v.text("details.group-id"),
                v.positiveInt("details.max-in-flight"),
                v.positiveDuration("details.query-timeout"));
    }
}
