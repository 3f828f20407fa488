package com.example.subscriptions.config;

/**
 * The one place that names the topics.
 *
 * @param suppressions the suppression list: compacted, keyed by workflow id, read whole by every commands role
 */
public record Topics(
        String commands,
        String events,
        String commandsDeadLetter,
        String detailsRequests,
        String detailsReplies,
        String detailsRequestsDeadLetter,
        String suppressions,
        boolean create,
        int partitions,
        int replicationFactor) {}
