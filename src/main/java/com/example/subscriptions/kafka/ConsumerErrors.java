package com.example.subscriptions.kafka;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * What the consumer throws from {@code poll} and {@code commitSync}, sorted by what the loop does about it.
 *
 * <ul>
 *   <li><b>Outlived</b>: the consumer stays usable and tries again on the next poll. Retriable errors (a broker or
 *       coordinator away, timeouts), a commit refused because the group rebalanced (its records are redelivered),
 *       and failed authentication or authorisation, which an operator fixes without restarting us.</li>
 *   <li><b>Fatal</b>: no later poll can succeed, so the loop ends and the process exits non-zero for its supervisor
 *       to restart it: an offset out of range with {@code auto.offset.reset=none} (the operator chose to decide),
 *       another instance using our {@code group.instance.id}, a broker without a feature the settings ask for,
 *       invalid settings, a record the consumer cannot read past, and anything not known to be outlived.</li>
 * </ul>
 */
final class ConsumerErrors {

    private ConsumerErrors() {}

    static boolean isOutlived(KafkaException error) {
        if (error instanceof InvalidOffsetException) {
            return false;
        }
        return error instanceof RetriableException
                || error instanceof CommitFailedException
                || error instanceof RebalanceInProgressException
                || error instanceof AuthenticationException
                || error instanceof AuthorizationException;
    }
}
