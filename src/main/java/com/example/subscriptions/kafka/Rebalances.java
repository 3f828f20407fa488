package com.example.subscriptions.kafka;

import java.util.Collection;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop's answer to its group's rebalances, called inside its poll: partitions revoked are drained and committed,
 * partitions lost are given up without a commit (another member may own them already), partitions assigned are paused
 * if the loop is, and told to the handler.
 */
final class Rebalances implements ConsumerRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);

    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final RecordHandler handler;
    private final LoopHealth health;
    private final Completions completions;
    private final PartitionDrain drain;
    private final BooleanSupplier paused;

    Rebalances(
            String name,
            Consumer<byte[], byte[]> consumer,
            RecordHandler handler,
            LoopHealth health,
            Completions completions,
            PartitionDrain drain,
            BooleanSupplier paused) {
        this.name = name;
        this.consumer = consumer;
        this.handler = handler;
        this.health = health;
        this.completions = completions;
        this.drain = drain;
        this.paused = paused;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
        if (!revoked.isEmpty()) {
            log.info("{}: partitions revoked: {}", name, revoked);
            drainInsidePoll(revoked, true);
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
        log.warn("{}: partitions lost (the consumer left its group): {}", name, lost);
        health.leftGroup();
        drainInsidePoll(lost, false);
    }

    /**
     * The drain takes the completions itself meanwhile, so they need not wake the poll (and interrupt its commit);
     * once back in the poll, the loop is woken to start what became ready during the drain.
     */
    private void drainInsidePoll(Collection<TopicPartition> leaving, boolean commit) {
        completions.leftPoll();
        try {
            drain.drain(leaving, commit);
        } finally {
            completions.enteringPoll();
            consumer.wakeup();
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
        if (!assigned.isEmpty()) {
            log.info("{}: partitions assigned: {}", name, assigned);
            if (paused.getAsBoolean()) {
                consumer.pause(assigned);
            }
            try {
                handler.assigned(assigned);
            } catch (RuntimeException e) {
                log.warn("{}: the handler failed on the assignment of {}: {}", name, assigned, e.toString());
            }
        }
        health.joinedGroup();
    }
}
