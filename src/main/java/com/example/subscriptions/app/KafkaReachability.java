package com.example.subscriptions.app;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Asks the cluster to describe itself, remembering the answer briefly so that probes cannot flood the brokers. */
final class KafkaReachability {

    private static final long REMEMBER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Admin admin;
    private long checkedAt;
    private boolean reachable;

    KafkaReachability(Admin admin) {
        this.admin = admin;
    }

    synchronized boolean reachable(Duration timeout) {
        long now = System.nanoTime();
        if (checkedAt != 0 && now - checkedAt < REMEMBER_NANOS) {
            return reachable;
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .clusterId()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            reachable = true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            reachable = false;
        }
        checkedAt = System.nanoTime();
        return reachable;
    }
}
