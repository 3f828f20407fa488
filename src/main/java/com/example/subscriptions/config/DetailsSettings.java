package com.example.subscriptions.config;

import java.time.Duration;

/** @param queryTimeout how long a details query may take before the reply says UNAVAILABLE */
public record DetailsSettings(String groupId, int maxInFlight, Duration queryTimeout) {}
