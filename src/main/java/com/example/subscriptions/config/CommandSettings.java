package com.example.subscriptions.config;

import java.time.Duration;

/**
 * @param interval the time between emails written into every subscription the service starts
 * @param emailsPerRun emails one workflow run sends before it continues as new
 */
public record CommandSettings(
        String groupId, int maxInFlight, int maxRecordBytes, Duration interval, int emailsPerRun) {}
