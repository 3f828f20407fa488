package com.example.subscriptions.app;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** What the probes are told: liveness from the consumer loops, readiness from them and the services they call. */
final class ServiceHealth {

    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    /** Whether a service answers within the timeout. */
    @FunctionalInterface
    interface Reachability {
        boolean reachable(Duration timeout);
    }

    /** What health reads of one consumer loop. */
    interface Consumer {
        String name();

        /** Whether its loop still runs: one that ended needs a restart. */
        boolean running();

        /** Whether it is a member of its group. */
        boolean member();

        /** Whether records have waited too long while none finished. */
        boolean stalled();
    }

    private final Reachability temporal;
    private final Optional<Reachability> kafka;
    private final List<? extends Consumer> consumers;
    private final Optional<BooleanSupplier> publicListener;

    /**
     * @param kafka empty when no role uses Kafka
     * @param publicListener whether the public listener can take a connection and answer it; empty without one
     */
    ServiceHealth(
            Reachability temporal,
            Optional<Reachability> kafka,
            List<? extends Consumer> consumers,
            Optional<BooleanSupplier> publicListener) {
        this.temporal = temporal;
        this.kafka = kafka;
        this.consumers = List.copyOf(consumers);
        this.publicListener = publicListener;
    }

    /** Live while every consumer loop runs. */
    Health liveness() {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        consumers.forEach(c -> checks.put(c.name(), c.running()));
        return Health.of(checks);
    }

    /**
     * Ready when Temporal and Kafka answer, every consumer is a member of its group and making progress, and the public
     * listener can take a connection and has a thread to answer it.
     */
    Health readiness() {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        checks.put("temporal", temporal.reachable(PROBE_TIMEOUT));
        kafka.ifPresent(k -> checks.put("kafka", k.reachable(PROBE_TIMEOUT)));
        consumers.forEach(c -> {
            checks.put(c.name(), c.running() && c.member());
            checks.put(c.name() + "-progress", !c.stalled());
        });
        publicListener.ifPresent(listener -> checks.put("unsubscribe-listener", listener.getAsBoolean()));
        return Health.of(checks);
    }
}
