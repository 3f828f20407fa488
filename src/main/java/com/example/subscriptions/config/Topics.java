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
        int replicationFactor) {

    static Topics read(Values v) {
        return new Topics(
                v.text("topics.commands"),
                v.text("topics.events"),
                v.text("topics.commands-dlt"),
                v.text("topics.details-requests"),
                v.text("topics.details-replies"),
                v.text("topics.details-requests-dlt"),
                v.bool("topics.create"),
                v.positiveInt("topics.partitions"),
                v.positiveInt("topics.replication-factor"));
    }
}
