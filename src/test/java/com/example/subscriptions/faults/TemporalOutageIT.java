package com.example.subscriptions.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.example.subscriptions.app.Service;
import com.example.subscriptions.devstack.OpsEndpoint;
import com.example.subscriptions.devstack.TcpProxy;
import com.example.subscriptions.devstack.TestKafka;
import com.example.subscriptions.devstack.TestTemporal;
import com.example.subscriptions.it.ServiceFixture;
import com.example.subscriptions.kafka.ConsumerLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal unreachable for a minute under a stream of commands and details requests. The SDK's test server keeps its
 * state in memory, so it is not stopped: a {@link TcpProxy} between the service and Temporal is cut instead.
 *
 * <p>Only the Kafka-facing roles (commands, responder) go through the proxy; the worker runs as a second service
 * that reaches Temporal directly, a supported topology ({@code java -jar ... worker} beside
 * {@code ... commands responder}). What is under test is how those roles carry an outage: retry without end, never
 * commit past an unapplied command, keep polling so the group does not evict them, answer details with UNAVAILABLE,
 * and resume unaided. A cut worker would only add the SDK's own poller back-off (up to a minute) to the recovery,
 * which says nothing about this service.
 */
class TemporalOutageIT {

    private static final Logger log = LoggerFactory.getLogger(TemporalOutageIT.class);
    /** Required by the issue: a minute of Temporal outage, three times {@code max.poll.interval.ms}. */
    private static final Duration OUTAGE = Duration.ofSeconds(60);

    private static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(20);
    /** Records the commands loop holds before it pauses fetching: {@code max(4 * 64, 256)}. */
    private static final int MAX_BUFFERED = 256;

    private static final Set<String> REBALANCE_SIGNS =
            Set.of("partitions revoked", "partitions lost", "partitions assigned", "consumer failed");

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    @SuppressWarnings("try") // the worker only has to run while the test does; the try stops it
    void aMinuteWithoutTemporalHoldsCommandsBackWithoutCommittingPastThemOrLeavingTheGroup() throws Exception {
        SentEmails sent = new SentEmails();
        ch.qos.logback.classic.Logger loopLog =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(ConsumerLoop.class);
        ListAppender<ILoggingEvent> loopEvents = new ListAppender<>();
        loopEvents.start();
        try (ServiceFixture fixture = new ServiceFixture();
                TcpProxy proxy = TcpProxy.start(TestTemporal.address());
                Service worker = Service.start(fixture.settings(Map.of("roles", "worker")), sent);
                Service service = Service.start(
                        fixture.settings(Map.of(
                                "roles",
                                "commands,responder",
                                "temporal.address",
                                proxy.address(),
                                "details.query-timeout",
                                "PT1S",
                                "kafka.max.poll.interval.ms",
                                String.valueOf(MAX_POLL_INTERVAL.toMillis()))),
                        (details, delivery) -> {});
                Traffic traffic = new Traffic(fixture.topics);
                EventLog events = new EventLog(fixture.topics);
                Admin admin = ConsumerGroups.admin(TestKafka.bootstrapServers());
                Traffic.Pace stream = traffic.stream(
                        CommandStreams.sequences("fault-" + fixture.suffix), Duration.ofMillis(500), 2, true)) {
            String commandsGroup = "commands-" + fixture.suffix;
            String detailsGroup = "details-" + fixture.suffix;
            Awaitility.await("service ready").atMost(Duration.ofSeconds(60)).until(service::ready);
            events.awaitSize(5, Duration.ofSeconds(60), null, null);
            Map<String, Set<String>> membersBefore = members(admin, commandsGroup, detailsGroup);
            loopLog.addAppender(loopEvents);

            proxy.cutOff();
            // Taken after the cut: whatever is sent from now on cannot reach Temporal before restore().
            long cutAt = System.nanoTime();
            // A backlog beyond what the loop holds, so it must pause fetching and keep polling for the whole minute.
            traffic.send(CommandStreams.repeatedSubscribes("backlog-" + fixture.suffix, 4, 60));
            int[] maxInFlight = {0};
            int[] checks = {0};
            AtomicReference<AssertionError> broken = new AtomicReference<>();
            Awaitility.await("a minute without Temporal")
                    .atMost(OUTAGE.plusSeconds(60))
                    .pollInterval(Duration.ofSeconds(3))
                    .until(() -> {
                        try {
                            checkWhileCut(traffic, events, admin, commandsGroup, cutAt, loopEvents);
                            maxInFlight[0] = Math.max(maxInFlight[0], (int) OpsEndpoint.metric(
                                    service.httpPort(), "subscriptions_in_flight", "role=\"commands\""));
                            checks[0]++;
                        } catch (AssertionError e) {
                            broken.set(e);
                            return true;
                        }
                        return System.nanoTime() - cutAt >= OUTAGE.toNanos();
                    });
            if (broken.get() != null) {
                throw broken.get();
            }
            assertFalse(service.ready(), "/health/ready is DOWN while Temporal is unreachable");
            checkWhileCut(traffic, events, admin, commandsGroup, cutAt, loopEvents);
            long answeredBy = System.nanoTime() - TimeUnit.SECONDS.toNanos(10);
            List<Traffic.Request> askedDuringOutage = traffic.requests().stream()
                    .filter(r -> r.atNanos() > cutAt && r.atNanos() < answeredBy)
                    .toList();
            assertTrue(
                    askedDuringOutage.size() >= 50, "details requests during the outage: " + askedDuringOutage.size());
            for (Traffic.Request request : askedDuringOutage) {
                List<EventLog.Reply> replies = events.replies(request.requestId());
                assertFalse(replies.isEmpty(), "request " + request.requestId() + " answered during the outage");
            }
            assertTrue(
                    maxInFlight[0] >= MAX_BUFFERED,
                    "the backlog filled the loop to its pause point: max " + maxInFlight[0] + " in flight");
            assertTrue(proxy.turnedAwayConnections() > 0, "the service kept trying to reach Temporal");
            long sentDuringOutage = traffic.sentAfter(cutAt);
            log.info(
                    "Outage of {} s: {} checks, {} commands and {} requests sent meanwhile, max {} in flight,"
                            + " {} connections turned away",
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - cutAt),
                    checks[0],
                    sentDuringOutage,
                    askedDuringOutage.size(),
                    maxInFlight[0],
                    proxy.turnedAwayConnections());

            long restoredAt = System.nanoTime();
            proxy.restore();
            Awaitility.await("throughput resumes by itself")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        events.poll();
                        return traffic.sent().stream()
                                .anyMatch(s -> s.atNanos() > cutAt && events.applied(s.command()));
                    });
            long resumedAfter = millisSince(restoredAt);
            FaultChecks.await(Duration.ofSeconds(30))
                    .alias("commands sent after the outage")
                    .until(() -> traffic.sentAfter(restoredAt) >= 6);
            stream.stop();
            events.awaitAll(traffic.commands(), traffic.requests(), 1, Duration.ofSeconds(180));
            long caughtUpAfter = millisSince(restoredAt);
            Awaitility.await("/health/ready back to UP")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(service::ready);
            Map<TopicPartition, Long> end = ConsumerGroups.endOffsets(admin, fixture.topic("commands"));
            Awaitility.await("everything committed")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertEquals(end, ConsumerGroups.committed(admin, commandsGroup)));

            assertEquals(List.of(), rebalanceSigns(loopEvents), "no rebalance in the whole episode");
            assertEquals(
                    membersBefore, members(admin, commandsGroup, detailsGroup), "the same consumers, never evicted");
            log.info(
                    "Temporal restored: first held-back command applied {} ms after, all {} ms after",
                    resumedAfter,
                    caughtUpAfter);
            Invariant.Summary summary = Invariant.assertInvariant(
                    traffic.commands(), traffic.requests(), events, fixture.client(), sent, Duration.ofSeconds(60));
            log.info("Temporal outage: {}", summary);
        } finally {
            loopLog.detachAppender(loopEvents);
        }
    }

    /**
     * What must hold at any moment of the outage: no commit past an unapplied command, no rebalance, details
     * answered UNAVAILABLE, and nothing applied that was sent after the cut.
     */
    private static void checkWhileCut(
            Traffic traffic,
            EventLog events,
            Admin admin,
            String commandsGroup,
            long cutAt,
            ListAppender<ILoggingEvent> loopEvents)
            throws Exception {
        // Committed offsets first, then everything published until now: a command committed past had its event
        // published before the commit, so it is read here and not mistaken for an unapplied one.
        Map<TopicPartition, Long> committed = ConsumerGroups.committed(admin, commandsGroup);
        events.catchUp();
        Map<Integer, Long> firstUnapplied = events.firstUnapplied(traffic.sent());
        assertFalse(firstUnapplied.isEmpty(), "commands wait for Temporal");
        committed.forEach((partition, offset) -> {
            Long unapplied = firstUnapplied.get(partition.partition());
            assertTrue(
                    unapplied == null || offset <= unapplied,
                    () -> "committed " + partition + " up to " + offset + ", past the unapplied command at offset "
                            + unapplied);
        });
        assertEquals(List.of(), rebalanceSigns(loopEvents), "no rebalance during the outage");
        for (Traffic.Sent sent : traffic.sent()) {
            if (sent.atNanos() > cutAt) {
                assertFalse(events.applied(sent.command()), () -> sent + " applied while Temporal was cut off");
            }
        }
        for (Traffic.Request request : traffic.requests()) {
            if (request.atNanos() > cutAt) {
                for (EventLog.Reply reply : events.replies(request.requestId())) {
                    assertEquals("UNAVAILABLE", reply.status(), () -> "reply " + reply);
                }
            }
        }
    }

    private static List<String> rebalanceSigns(ListAppender<ILoggingEvent> appender) {
        List<ILoggingEvent> events;
        synchronized (appender) {
            events = new ArrayList<>(appender.list);
        }
        return events.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(message -> REBALANCE_SIGNS.stream().anyMatch(message::contains))
                .toList();
    }

    /** Each group's member ids: a consumer evicted and rejoined comes back with a new one. */
    private static Map<String, Set<String>> members(Admin admin, String... groups)
            throws InterruptedException, ExecutionException {
        Map<String, ConsumerGroupDescription> described =
                admin.describeConsumerGroups(List.of(groups)).all().get();
        Map<String, Set<String>> members = new HashMap<>();
        described.forEach((group, description) -> {
            assertEquals(GroupState.STABLE, description.groupState(), group + " is stable");
            members.put(
                    group,
                    description.members().stream()
                            .map(MemberDescription::consumerId)
                            .collect(Collectors.toCollection(TreeSet::new)));
        });
        return members;
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
