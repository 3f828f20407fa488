package com.example.subscriptions.config;

/** The one place that names the topics. */
public record Topics(
        String commands,
        String events,
        String commandsDeadLetter,
        String detailsRequests,
        String detailsReplies,
        String detailsRequestsDeadLetter,
        boolean create,
        int partitions,
        int replicationFactor) {}
