package com.example.subscriptions.kafka;

import static com.example.subscriptions.kafka.LoopHarness.P0;
import static com.example.subscriptions.kafka.LoopHarness.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the consumer throws: errors the loop outlives, and errors that end it for the process to be restarted. */
class ConsumerErrorsTest {

    private final LoopHarness h = new LoopHarness();

    @AfterEach
    void stopTheLoop() throws InterruptedException {
        h.close();
    }

    static Stream<KafkaException> outlived() {
        return Stream.of(
                new TimeoutException("no coordinator"),
                new DisconnectException("broker gone"),
                new CommitFailedException("group rebalanced"),
                new RebalanceInProgressException("rebalancing"),
                new SaslAuthenticationException("bad password"),
                new GroupAuthorizationException("no ACL"),
                new TopicAuthorizationException("no ACL"));
    }

    static Stream<KafkaException> fatal() {
        return Stream.of(
                new FencedInstanceIdException("another instance has our group.instance.id"),
                new NoOffsetForPartitionException(P0),
                new OffsetOutOfRangeException("out of range", java.util.Map.of(P0, 5L)),
                new UnsupportedVersionException("the broker does not speak group.protocol=consumer"),
                new InvalidGroupIdException("bad group"),
                new KafkaException("cannot read past a corrupt record"));
    }

    @ParameterizedTest
    @MethodSource("outlived")
    void errorsOfTheEnvironmentAreOutlived(KafkaException error) {
        assertTrue(ConsumerErrors.isOutlived(error), error.toString());
    }

    @ParameterizedTest
    @MethodSource("fatal")
    void errorsNoLaterPollCanGetPastAreFatal(KafkaException error) {
        assertFalse(ConsumerErrors.isOutlived(error), error.toString());
    }

    @Test
    void theLoopPollsOnAfterAnErrorItOutlivesAndHandlesWhatComesNext() {
        h.start(4);
        h.consumer.setPollException(new TimeoutException("the coordinator is away"));
        h.letTheLoopGoRound();

        h.send(P0, "A");
        h.attempt(P0, 0).succeed();
        h.awaitCommitted(P0, 1);
        assertTrue(h.loop.health().failure().isEmpty());
    }

    @Test
    void aFatalErrorEndsTheLoopWhichThenSaysWhyAndIsNoMember() throws InterruptedException {
        h.start(4);
        h.consumer.setPollException(new FencedInstanceIdException("another instance has our group.instance.id"));

        assertTrue(h.loop.awaitStopped(Duration.ofSeconds(5)), "the loop went on after a fatal error");
        assertInstanceOf(
                FencedInstanceIdException.class, h.loop.health().failure().orElseThrow());
        assertFalse(h.loop.health().member());
        eventually().until(() -> h.consumer.closed());
        assertEquals(0, h.attempts.running());
    }
}
