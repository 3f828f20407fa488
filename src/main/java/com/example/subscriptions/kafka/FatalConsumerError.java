package com.example.subscriptions.kafka;

import org.apache.kafka.common.KafkaException;

/** A consumer error no later poll can get past: it ends the loop, which then reports it through its health. */
final class FatalConsumerError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FatalConsumerError(KafkaException cause) {
        super(cause);
    }
}
