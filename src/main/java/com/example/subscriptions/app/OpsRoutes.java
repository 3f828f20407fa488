package com.example.subscriptions.app;

/**
 * The paths of the ops port ({@code server.port}): what probes and Prometheus are pointed at, from outside the
 * process too (the Helm chart's probes are checked against these).
 */
public final class OpsRoutes {

    /** 200 while every consumer loop runs. */
    public static final String LIVE = "/health/live";
    /** 200 while Kafka and Temporal answer and every consumer is a member of its group and making progress. */
    public static final String READY = "/health/ready";
    /** Prometheus text format. */
    public static final String METRICS = "/metrics";

    private OpsRoutes() {}
}
